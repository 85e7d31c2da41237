import Foundation
import MazeConfig
import MazeCore
import MazePerception
import MazeWire
import Testing

@testable import MazeDistributed
@testable import MazeService
@testable import MazeTrain

/// Masked structured Cutting2D (two sub-steps per decision) through the service's batches: the actor's sub-step
/// layout, the schema's checks of it, and the learner's rollout buffer, which must be the dev runner's.
@Suite("Structured batches")
struct StructuredBatchTests {
    /// A small masked structured Cutting2D IMPALA experiment; episodes of 6 sub-steps (3 cycles) end within a rollout.
    static func experiment(steps: Int = 8) throws -> (config: ExperimentConfig, yaml: String) {
        try ShippedExperiment.experiment([
            "env=cutting_2d_struct_masked", "env.max_pieces_in_inventory=6", "env.raw_piece_size=[10,10]",
            "env.static_demand=[3,2]", "wrappers=cutting_2d", "wrappers.TimeLimitWrapper.max_episode_steps=6",
            "algorithm=impala", "algorithm.n_rollout_steps=\(steps)", "algorithm.epoch_length=1",
            "algorithm.rollout_evaluator.n_episodes=1", "algorithm.actors_batch_size=1",
        ])
    }

    /// The learner of `experiment()` and one batch of 3 envs from an actor with its weights.
    static func learnerAndBatch() throws -> (ActorCriticLearner, TrajectoryBatch) {
        let (config, yaml) = try experiment()
        let learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        var policy = try ActorCriticActingPolicy(config: config, envCount: 3, seed: 1)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        return (learner, try policy.collect(RolloutIdentity(experimentID: "e", actorID: "actor-0", policyVersion: 0)))
    }

    /// `batch` with some of its tensors replaced.
    static func rebuilt(
        _ batch: TrajectoryBatch, observations: [String: WireTensor]? = nil,
        actions: [String: WireTensor]? = nil, rewards: WireTensor? = nil, terminated: WireTensor? = nil,
        logProbs: WireTensor? = nil
    ) throws -> TrajectoryBatch {
        try TrajectoryBatch(
            experimentID: batch.experimentID, actorID: batch.actorID, policyVersion: batch.policyVersion,
            steps: batch.steps, envs: batch.envs, subSteps: batch.subSteps,
            observations: observations ?? batch.observations,
            actions: actions ?? batch.actions, rewards: rewards ?? batch.rewards,
            terminated: terminated ?? batch.terminated, truncated: batch.truncated,
            behaviourLogProbs: logProbs ?? batch.behaviourLogProbs, episodes: batch.episodes)
    }

    @Test func theActorsSubStepBatchesFitTheLearnersSchemaAndSurviveTheWire() throws {
        let (learner, batch) = try Self.learnerAndBatch()
        let schema = try #require(learner.batchSchema)
        #expect(schema.subSteps == 2)
        #expect(batch.subSteps == 2)
        #expect(Set(batch.observations.keys) == ["observation_0", "observation_1", "final_observation"])
        #expect(batch.actions["action_1"]?.shape == [8, 3, 2])
        #expect(batch.rewards.shape == [8, 3, 2])
        #expect(schema.violation(of: batch) == nil)
        let message = WireMessage.trajectoryBatch(batch)
        #expect(try message.encode().withUnsafeBytes { try WireMessage.decode($0) } == message)
    }

    @Test func aBatchWithAnotherSubStepLayoutIsASchemaViolation() throws {
        let (learner, batch) = try Self.learnerAndBatch()
        let schema = try #require(learner.batchSchema)
        func flags(_ count: Int) throws -> WireTensor {
            try WireTensor(shape: [8, 3, count], bools: [Bool](repeating: false, count: 24 * count))
        }
        func floats(_ count: Int) throws -> WireTensor {
            try WireTensor(shape: [8, 3, count], values: [Float](repeating: 0, count: 24 * count))
        }
        let threeSubSteps = try TrajectoryBatch(
            experimentID: "e", actorID: "actor-0", policyVersion: 0, steps: 8, envs: 3, subSteps: 3,
            observations: batch.observations, actions: batch.actions, rewards: floats(3), terminated: flags(3),
            truncated: flags(3), behaviourLogProbs: floats(3))
        #expect(
            schema.violation(of: threeSubSteps)?.detail
                == "sub_steps is 3, the experiment's env needs 2 sub-steps per cycle")
        let flat = try TrajectoryBatch(
            experimentID: "e", actorID: "actor-0", policyVersion: 0, steps: 8, envs: 3,
            observations: batch.observations, actions: batch.actions,
            rewards: WireTensor(shape: [8, 3], values: [Float](repeating: 0, count: 24)),
            terminated: WireTensor(shape: [8, 3], bools: [Bool](repeating: false, count: 24)),
            truncated: WireTensor(shape: [8, 3], bools: [Bool](repeating: false, count: 24)),
            behaviourLogProbs: WireTensor(shape: [8, 3], values: [Float](repeating: 0, count: 24)))
        #expect(schema.violation(of: flat)?.reason == .schema)

        let cutting = try #require(batch.observations["observation_1"])
        var wider = batch.observations
        wider["observation_1"] = try WireTensor(
            shape: [9, 3, cutting.shape[2] + 1], values: [Float](repeating: 0, count: 27 * (cutting.shape[2] + 1)))
        let width = cutting.shape[2]
        #expect(
            schema.violation(of: try Self.rebuilt(batch, observations: wider))?.detail
                == "observations.observation_1 has shape [9, 3, \(width + 1)], it must be [9, 3, \(width)]")
        var missing = batch.actions
        missing["action_1"] = nil
        #expect(schema.violation(of: try Self.rebuilt(batch, actions: missing))?.reason == .schema)

        // A cycle that goes on after its episode ended at sub-step 0.
        var ends = try batch.terminated.bools()
        ends[0] = true
        var rewards = try batch.rewards.values(as: Float.self)
        rewards[1] = 1
        let afterTheEnd = try Self.rebuilt(
            batch, rewards: WireTensor(shape: [8, 3, 2], values: rewards),
            terminated: WireTensor(shape: [8, 3, 2], bools: ends))
        let violation = schema.violation(of: afterTheEnd)
        #expect(violation?.reason == .schema)
        #expect(
            violation?.detail.hasPrefix("sub-step 1 of cycle [0, 0] follows the end of its episode at sub-step 0")
                == true)
    }

    @Test func aPieceTheInventoryMaskForbidsIsAnInvalidAction() throws {
        let (learner, batch) = try Self.learnerAndBatch()
        let schema = try #require(learner.batchSchema)
        guard case .index(let count, let maskTensor, let mask) = try #require(schema.actionColumns["action_0"]?.first)
        else {
            Issue.record("piece_idx is not an index column")
            return
        }
        #expect(maskTensor == "observation_0")
        let range = try #require(mask)
        #expect(range.count == count)
        let selection = try #require(batch.observations["observation_0"])
        let row = try Array(selection.values(as: Float.self).prefix(selection.shape[2]))
        let forbidden = try #require(range.first { row[$0] == 0 }.map { $0 - range.lowerBound })
        var pieces = try #require(batch.actions["action_0"]).values(as: Float.self)
        pieces[0] = Float(forbidden)
        var actions = batch.actions
        actions["action_0"] = try WireTensor(shape: [8, 3, 1], values: pieces)
        let violation = schema.violation(of: try Self.rebuilt(batch, actions: actions))
        #expect(violation?.reason == .invalidAction)
        #expect(
            violation?.detail
                == "actions.action_0[0, 0, 0] = \(Float(forbidden)): the action mask 'observation_0' does not allow it")
    }

    /// The same envs, model, seeds and sampling in an actor and in the dev runner's structured collector: the
    /// learner's buffer from the actor's batch (through the wire) is the collector's buffer, row for row.
    @Test func assemblyOfTheActorsBatchIsTheDevCollectorsBuffer() throws {
        let (config, _) = try Self.experiment()
        let seed: UInt64 = 5
        var policy = try ActorCriticActingPolicy(config: config, envCount: 3, seed: seed)
        let envs = try (0..<3).map { _ in try config.makeEnv() }
        var collector = try StructuredRolloutCollector(envs: envs, stepCount: 8)
        try collector.reset(seed: config.envBaseSeed(fallback: 0) &+ seed)
        let model = try ActorCriticModel(recipe: config.modelRecipe(), env: envs[0], seed: 0)
        var random = MazeRandom(seed: seed)
        let identity = RolloutIdentity(experimentID: "e", actorID: "actor-0", policyVersion: 0)
        // Two rollouts: the second starts where the first's bootstrap row left off.
        for _ in 0..<2 {
            _ = try collector.collect(with: model, random: &random)
            let message = WireMessage.trajectoryBatch(try policy.collect(identity))
            guard
                case .trajectoryBatch(let batch) = try message.encode().withUnsafeBytes({ try WireMessage.decode($0) })
            else {
                Issue.record("the batch did not decode as a batch")
                return
            }
            let assembled = try RolloutAssembly.buffer(from: [batch])
            let expected = collector.buffer
            #expect(try batch.terminated.bools().contains(true) || batch.truncated.bools().contains(true))
            #expect(assembled.observations == expected.observations)
            #expect(assembled.successorObservations == expected.successorObservations)
            #expect(assembled.actions == expected.actions)
            #expect(assembled.behaviourLogProbs == expected.behaviourLogProbs)
            #expect(assembled.rewards == expected.rewards)
            #expect(assembled.terminated == expected.terminated)
            #expect(assembled.truncated == expected.truncated)
        }
    }

    /// A cycle whose episode ended at its first sub-step: the second sub-step's part of the row is zero, the sums
    /// cover the first sub-step only, and the successor is the final observation.
    @Test func aCycleThatEndsEarlyAssemblesWithZerosAfterItsEnd() throws {
        let batch = try TrajectoryBatch(
            experimentID: "e", actorID: "a", policyVersion: 0, steps: 1, envs: 1, subSteps: 2,
            observations: [
                "observation_0": WireTensor(shape: [2, 1, 2], values: [Float(1), 2, 3, 4]),
                "observation_1": WireTensor(shape: [2, 1, 1], values: [Float(0), 0]),
                "final_observation": WireTensor(shape: [2, 1, 2], values: [Float(0), 0, 5, 6]),
            ],
            actions: [
                "action_0": WireTensor(shape: [1, 1, 1], values: [Float(1)]),
                "action_1": WireTensor(shape: [1, 1, 2], values: [Float(0), 0]),
            ],
            rewards: WireTensor(shape: [1, 1, 2], values: [Float(-1), 0]),
            terminated: WireTensor(shape: [1, 1, 2], bools: [false, false]),
            truncated: WireTensor(shape: [1, 1, 2], bools: [true, false]),
            behaviourLogProbs: WireTensor(shape: [1, 1, 2], values: [Float(-0.5), 0]))
        #expect(try batch.playedSubSteps() == [1])
        let buffer = try RolloutAssembly.buffer(from: [batch])
        #expect(buffer.observations == [1, 2, 0])
        #expect(buffer.actions == [1, 0, 0])
        #expect(buffer.rewards == [-1])
        #expect(buffer.behaviourLogProbs == [-0.5])
        #expect(buffer.truncated == [true])
        #expect(buffer.terminated == [false])
        #expect(buffer.successorObservations == [5, 6, 0])
    }
}
