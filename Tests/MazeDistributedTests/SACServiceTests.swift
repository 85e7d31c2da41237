import Foundation
import MazeConfig
import MazeDistributed
import MazeTestSupport
import MazeTrain
import MazeWire
import Testing

@testable import MazeService

/// SAC on the learner service, in process: the learner tells its actors to sample uniformly until the replay buffer
/// holds `initial_buffer_size` transitions, then trains at the dev runner's rate of gradient steps per env step and
/// broadcasts the policy alone; batches that do not fit SAC's spaces are rejected under their reason; submissions
/// count the replay buffer into the memory estimate; `maze learner` and `maze actor` build SAC from the record.
@Suite("SAC on the learner service")
struct SACServiceTests {
    /// A small Pendulum SAC experiment composed from the shipped conf/, as `maze submit` composes it.
    static func experiment(_ extra: [String] = []) throws -> (ExperimentConfig, String) {
        try ShippedExperiment.experiment(
            [
                "env=gym_env", "env.name=Pendulum-v1", "algorithm=sac", "model=vector_obs",
                "critic=template_state_action", "algorithm.initial_buffer_size=12", "algorithm.batch_size=8",
                "algorithm.n_rollout_steps=3", "algorithm.num_batches_per_iter=3", "algorithm.epoch_length=100",
                "algorithm.rollout_evaluator.n_episodes=1",
                "model.model_builder.modality_config.feature.block_params.hidden_units=[8]",
            ] + extra)
    }

    private static func update(_ learner: SACLearner, version: UInt64) -> PolicyUpdate {
        PolicyUpdate(
            experimentID: "e", version: version, weights: learner.weights, stop: false, auxiliary: learner.auxiliary)
    }

    @Test func actorsSampleUniformlyUntilTheBufferIsFilledThenActWithThePolicyTheLearnerTrains() throws {
        let (config, yaml) = try Self.experiment()
        var learner = try SACLearner(config: config, configYAML: yaml, outputDirectory: nil)
        #expect(learner.batchesPerUpdate == 1 && learner.stalenessPolicy == .boundedLag(UInt64(Int.max)))
        #expect(!learner.weights.isEmpty && learner.weights.keys.allSatisfy { $0.hasPrefix("policy.") })
        #expect(learner.auxiliary[SACActingPolicy.initialSamplingKey] != nil)

        var policy = try ExperimentActingPolicy(config: config, envCount: 2, seed: 1)
        try policy.apply(Self.update(learner, version: 0))
        let identity = RolloutIdentity(experimentID: "e", actorID: "actor-0", policyVersion: 0)
        let random = try policy.collect(identity)
        #expect(random.observations["observation"]?.shape == [4, 2, 3])
        #expect(random.actions["action"]?.shape == [3, 2, 1])
        #expect(try random.behaviourLogProbs.values(as: Float.self).allSatisfy { $0 == 0 })
        let schema = try #require(learner.batchSchema)
        #expect(schema.violation(of: random) == nil)

        // 6 transitions: the buffer is not filled, no gradient step, the weights stay.
        let initial = learner.weights
        try learner.update(with: [random])
        #expect(learner.replayCount == 6 && learner.gradientSteps == 0 && learner.weights == initial)
        #expect(learner.auxiliary[SACActingPolicy.initialSamplingKey] != nil)
        // 12: filled; 6 env steps × 3 gradient steps per 3 env steps.
        try learner.update(with: [try policy.collect(identity)])
        #expect(learner.replayCount == 12 && learner.gradientSteps == 6 && learner.weights != initial)
        #expect(learner.auxiliary[SACActingPolicy.initialSamplingKey] == nil)

        try policy.apply(Self.update(learner, version: 2))
        let acted = try policy.collect(RolloutIdentity(experimentID: "e", actorID: "actor-0", policyVersion: 2))
        #expect(try acted.behaviourLogProbs.values(as: Float.self).allSatisfy { $0 != 0 })
        #expect(try acted.actions["action"]?.values(as: Float.self).allSatisfy { abs($0) <= 2 } == true)
        #expect(schema.violation(of: acted) == nil)
        try learner.update(with: [acted])
        #expect(learner.replayCount == 18 && learner.gradientSteps == 12)
    }

    @Test func batchesOutsideSACsSpacesAreRejectedUnderTheirReason() throws {
        let (config, yaml) = try Self.experiment()
        let learner = try SACLearner(config: config, configYAML: yaml, outputDirectory: nil)
        let schema = try #require(learner.batchSchema)
        var policy = try SACActingPolicy(config: config, envCount: 2, seed: 1)
        try policy.apply(Self.update(learner, version: 0))
        let valid = try policy.collect(RolloutIdentity(experimentID: "e", actorID: "actor-0", policyVersion: 0))
        func actions(_ shape: [Int], _ value: Float) throws -> [String: WireTensor] {
            ["action": try WireTensor(shape: shape, values: [Float](repeating: value, count: shape.reduce(1, *)))]
        }
        let cases: [(String, TrajectoryBatch, RejectionReason)] = [
            (
                "outside Pendulum's torque bounds [-2, 2]", try valid.with(actions: actions([3, 2, 1], 2.5)),
                .invalidAction
            ),
            ("two action columns", try valid.with(actions: actions([3, 2, 2], 0)), .schema),
            ("a NaN action", try valid.with(actions: actions([3, 2, 1], .nan)), .nonFinite),
            ("two steps", try valid.truncated(toSteps: 2), .schema),
        ]
        for (name, batch, reason) in cases {
            #expect(schema.violation(of: batch)?.reason == reason, "\(name)")
        }
    }

    /// The replay buffer is part of a submission's memory estimate: above 4 GiB it is refused by key, below it counted
    /// against the learner's budget.
    @Test func submissionsCountTheReplayBufferAgainstTheMemoryBudget() throws {
        let check = SubmissionPolicy.experimentCheck(
            memoryBudget: MemoryBudget(mebibytes: 64), queueOutOfSyncFactor: 2)
        let (_, fits) = try Self.experiment()
        try check(fits, "sac")
        // 7 floats of transition (2 × 3 observation, 1 action) + reward and flag: 33 bytes each, 3.3 GB.
        let (_, large) = try Self.experiment(["algorithm.replay_buffer_size=100000000"])
        #expect {
            try check(large, "sac")
        } throws: { error in
            "\(error)".contains("replay buffer: ") && "\(error)".contains("--memory-budget-mib")
        }
        let (_, huge) = try Self.experiment(["algorithm.replay_buffer_size=1000000000"])
        #expect {
            try check(huge, "sac")
        } throws: { error in
            "\(error)".hasPrefix("algorithm.replay_buffer_size:")
        }
    }

    /// Held initial random actions are a dev-runner setting: a submission asking for them is refused by key.
    @Test func submissionsWithHeldInitialActionsAreRefusedByKey() throws {
        let check = SubmissionPolicy.experimentCheck(
            memoryBudget: MemoryBudget(mebibytes: 64), queueOutOfSyncFactor: 2)
        let (_, held) = try Self.experiment(["algorithm.initial_sampling_policy.action_repeat=20"])
        #expect {
            try check(held, "sac")
        } throws: { error in
            "\(error)".hasPrefix("algorithm.initial_sampling_policy.action_repeat:")
        }
    }

    /// What `maze learner` builds for a SAC record: its SAC learner, writing the experiment's folder.
    @Test func theLearnerDaemonBuildsSACFromTheRecord() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maze-sac-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (_, yaml) = try Self.experiment()
        let record = ExperimentRecord(
            id: "exp-0001", state: .running, configYAML: yaml, overrides: [], commandLine: ["submit"], algorithm: "sac")
        let learner = try ExperimentLearner(record: record, outputsDirectory: directory)
        #expect(learner.auxiliary[SACActingPolicy.initialSamplingKey] != nil)
        #expect(learner.stalenessPolicy == .boundedLag(UInt64(Int.max)))
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("exp-0001/config.yaml").path))
    }
}
