import MazeService
import MazeWire

/// Malformed but decodable trajectory batches, each made from a valid batch of the service's own actors
/// (`observation`/`final_observation` `f4 [T+1, B, W]`, `action` `f4 [T, B, 1]` of a Discrete(2) space) by one
/// change, with the rejection reason the learner must count it under.
public struct MalformedBatches {
    public struct Case: Sendable {
        public let name: String
        public let batch: TrajectoryBatch
        public let reason: RejectionReason
    }

    /// Every case built from `valid`; `learnerVersion` is the version a batch claiming the future must exceed.
    public static func cases(from valid: TrajectoryBatch, learnerVersion: UInt64 = 0) throws -> [Case] {
        let (steps, envs) = (valid.steps, valid.envs)
        let observation = try valid.observations["observation"].unwrapped("observation")
        let final = try valid.observations["final_observation"].unwrapped("final_observation")
        let action = try valid.actions["action"].unwrapped("action")
        let logits = try (valid.behaviourLogits?["action"]).unwrapped("behaviour logits")
        let width = observation.shape.last ?? 0
        let cells = steps * envs
        func actions(_ value: Float) throws -> [String: WireTensor] {
            ["action": try WireTensor(shape: [steps, envs, 1], values: [Float](repeating: value, count: cells))]
        }
        func poisoned(_ tensor: WireTensor, _ value: Float) throws -> WireTensor {
            var values = try tensor.values(as: Float.self)
            values[values.count / 2] = value
            return try WireTensor(shape: tensor.shape, values: values)
        }
        func observations(width: Int) throws -> [String: WireTensor] {
            [
                "observation": try WireTensor(
                    shape: [steps + 1, envs, width], values: [Float](repeating: 0.1, count: (cells + envs) * width))
            ]
        }
        var cases: [Case] = []
        func add(_ name: String, _ reason: RejectionReason, _ batch: TrajectoryBatch) {
            cases.append(Case(name: name, batch: batch, reason: reason))
        }

        add("steps ≠ n_rollout_steps", .schema, try valid.truncated(toSteps: steps - 1))
        for value: Float in [7, 0.5, -1, 2] {
            add("action \(value)", .invalidAction, try valid.with(actions: actions(value)))
        }
        add(
            "one-hot action", .schema,
            try valid.with(actions: [
                "action": try WireTensor(shape: [steps, envs, 2], values: (0..<cells).flatMap { _ in [Float(1), 0] })
            ]))
        add(
            "i8 action", .schema,
            try valid.with(actions: [
                "action": try WireTensor(shape: [steps, envs, 1], values: [Int64](repeating: 1, count: cells))
            ]))
        add(
            "renamed observation", .schema,
            try valid.with(observations: ["obs": observation, "final_observation": final]))
        add("missing observation", .schema, try valid.with(observations: [:]))
        add("missing action", .schema, try valid.with(actions: [:]))
        add("renamed action", .schema, try valid.with(actions: ["move": action]))
        add("observation width 5", .schema, try valid.with(observations: observations(width: width + 1)))
        add(
            "final_observation width 5", .schema,
            try valid.with(observations: [
                "observation": observation,
                "final_observation": try WireTensor(
                    shape: [steps + 1, envs, width + 1],
                    values: [Float](repeating: 0, count: (cells + envs) * (width + 1))),
            ]))
        add(
            "i4 observation", .schema,
            try valid.with(observations: [
                "observation": try WireTensor(
                    shape: [steps + 1, envs, width], values: [Int32](repeating: 0, count: (cells + envs) * width))
            ]))
        add(
            "envs 0 with huge feature dimensions", .schema,
            try TrajectoryBatch(
                experimentID: valid.experimentID, actorID: valid.actorID, policyVersion: valid.policyVersion,
                steps: steps, envs: 0,
                observations: [
                    "observation": try WireTensor(dtype: .float32, shape: [steps + 1, 0, 1 << 40, 1 << 40], bytes: [])
                ],
                actions: ["action": try WireTensor(dtype: .float32, shape: [steps, 0, 1 << 40, 1 << 40], bytes: [])],
                rewards: try WireTensor(dtype: .float32, shape: [steps, 0], bytes: []),
                terminated: try WireTensor(dtype: .bool, shape: [steps, 0], bytes: []),
                truncated: try WireTensor(dtype: .bool, shape: [steps, 0], bytes: []),
                behaviourLogProbs: try WireTensor(dtype: .float32, shape: [steps, 0], bytes: [])))
        add("unknown experiment", .unknownExperiment, try valid.with(experimentID: "exp-9999"))
        add("future version", .futureVersion, try valid.with(policyVersion: learnerVersion + 1_000_000))
        for value in [Float.nan, .infinity, -.infinity] {
            add("rewards \(value)", .nonFinite, try valid.with(rewards: poisoned(valid.rewards, value)))
            add(
                "observation \(value)", .nonFinite,
                try valid.with(observations: ["observation": poisoned(observation, value), "final_observation": final]))
            add(
                "final_observation \(value)", .nonFinite,
                try valid.with(observations: ["observation": observation, "final_observation": poisoned(final, value)]))
            add("action \(value)", .nonFinite, try valid.with(actions: ["action": poisoned(action, value)]))
            add(
                "behaviour_log_probs \(value)", .nonFinite,
                try valid.with(behaviourLogProbs: poisoned(valid.behaviourLogProbs, value)))
            add(
                "behaviour_logits \(value)", .nonFinite,
                try valid.with(behaviourLogits: ["action": poisoned(logits, value)]))
        }
        add(
            "episode return NaN", .nonFinite, try valid.with(episodes: [EpisodeSummary(episodeReturn: .nan, length: 3)])
        )
        return cases
    }
}

extension Optional {
    public func unwrapped(_ what: String) throws -> Wrapped {
        guard let self else { throw MalformedBatchesError.missing(what) }
        return self
    }
}

public enum MalformedBatchesError: Error {
    case missing(String)
}

extension TrajectoryBatch {
    /// The same batch with the given parts replaced.
    public func with(
        experimentID: String? = nil, actorID: String? = nil, policyVersion: UInt64? = nil,
        observations: [String: WireTensor]? = nil, actions: [String: WireTensor]? = nil, rewards: WireTensor? = nil,
        behaviourLogProbs: WireTensor? = nil, behaviourLogits: [String: WireTensor]? = nil,
        episodes: [EpisodeSummary]? = nil, initialState: WireTensor? = nil
    ) throws -> TrajectoryBatch {
        try TrajectoryBatch(
            experimentID: experimentID ?? self.experimentID, actorID: actorID ?? self.actorID,
            policyVersion: policyVersion ?? self.policyVersion, steps: steps, envs: envs, subSteps: subSteps,
            observations: observations ?? self.observations, actions: actions ?? self.actions,
            rewards: rewards ?? self.rewards,
            terminated: terminated, truncated: truncated,
            behaviourLogProbs: behaviourLogProbs ?? self.behaviourLogProbs,
            behaviourLogits: behaviourLogits ?? self.behaviourLogits, episodes: episodes ?? self.episodes,
            initialState: initialState ?? self.initialState)
    }

    /// The first `count` steps of the batch (observations keep one more row).
    public func truncated(toSteps count: Int) throws -> TrajectoryBatch {
        func rows(_ tensor: WireTensor, _ rows: Int) throws -> WireTensor {
            let rowBytes = tensor.bytes.count / max(1, tensor.shape[0])
            return try WireTensor(
                dtype: tensor.dtype, shape: [rows] + tensor.shape.dropFirst(),
                bytes: Array(tensor.bytes.prefix(rows * rowBytes)))
        }
        return try TrajectoryBatch(
            experimentID: experimentID, actorID: actorID, policyVersion: policyVersion, steps: count, envs: envs,
            observations: observations.mapValues { try rows($0, count + 1) },
            actions: actions.mapValues { try rows($0, count) },
            rewards: rows(rewards, count), terminated: rows(terminated, count), truncated: rows(truncated, count),
            behaviourLogProbs: rows(behaviourLogProbs, count),
            behaviourLogits: behaviourLogits?.mapValues { try rows($0, count) },
            episodes: episodes)
    }
}
