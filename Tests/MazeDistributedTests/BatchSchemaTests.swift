import Foundation
import MazeConfig
import MazeCore
import MazeDistributed
import MazeTestSupport
import MazeWire
import Testing

@testable import MazeService

@Suite("Batch schema and numeric guard")
struct BatchSchemaTests {
    /// A CartPole IMPALA experiment of 6 rollout steps, its learner, and one valid batch of 3 envs from its actor.
    private static func cartPole() throws -> (ActorCriticLearner, TrajectoryBatch) {
        let (config, yaml) = try ShippedExperiment.experiment([
            "env=gym_env", "model=vector_obs", "critic=template_state", "algorithm=impala",
            "algorithm.n_rollout_steps=6",
            "algorithm.epoch_length=1", "algorithm.rollout_evaluator.n_episodes=1", "algorithm.actors_batch_size=1",
        ])
        let learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        var policy = try ActorCriticActingPolicy(config: config, envCount: 3, seed: 1)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        let batch = try policy.collect(RolloutIdentity(experimentID: "e", actorID: "actor-0", policyVersion: 0))
        return (learner, batch)
    }

    @Test func theActorsBatchesFitTheSchemaTheLearnerDerives() throws {
        let (learner, batch) = try Self.cartPole()
        let schema = try #require(learner.batchSchema)
        #expect(schema.steps == 6)
        #expect(schema.observations["observation"] == BatchSchema.Feature(dtype: .float32, shape: [4]))
        #expect(schema.actionColumns["action"] == [.index(count: 2)])
        #expect(schema.violation(of: batch) == nil)
    }

    @Test func everyMalformedBatchIsNamedUnderItsReason() throws {
        let (learner, valid) = try Self.cartPole()
        let schema = try #require(learner.batchSchema)
        // Experiment and version are the ingress's checks; the schema judges the rest.
        for malformed in try MalformedBatches.cases(from: valid)
        where ![.unknownExperiment, .futureVersion].contains(malformed.reason) {
            let violation = schema.violation(of: malformed.batch)
            #expect(violation?.reason == malformed.reason, "\(malformed.name): \(String(describing: violation))")
        }
    }

    @Test func violationsNameTheField() throws {
        let (learner, valid) = try Self.cartPole()
        let schema = try #require(learner.batchSchema)
        let wide = try MalformedBatches.cases(from: valid).first { $0.name == "observation width 5" }
        #expect(
            schema.violation(of: try #require(wide).batch)?.detail
                == "observations.observation has shape [7, 3, 5], it must be [7, 3, 4]")
        let seven = try valid.with(actions: [
            "action": WireTensor(shape: [6, 3, 1], values: [Float](repeating: 7, count: 18))
        ])
        #expect(schema.violation(of: seven)?.detail == "actions.action[0, 0, 0] = 7.0: must be an integer in 0..<2")
    }

    @Test func aDiscreteActionMustBeAllowedByItsMask() throws {
        let observationSpace: DictSpace = [
            "action_mask": .box(try BoxSpace(low: 0, high: 1, shape: [3])),
            "position": .box(try BoxSpace(low: -1, high: 1, shape: [2])),
        ]
        let schema = BatchSchema.flat(
            steps: 1, observationSpace: observationSpace, actionSpace: ["action": .discrete(3)])
        #expect(schema.actionColumns["action"] == [.index(count: 3, maskTensor: "observation", mask: 0..<3)])
        func batch(mask: [Float], action: Float) throws -> TrajectoryBatch {
            try TrajectoryBatch(
                experimentID: "e", actorID: "a", policyVersion: 0, steps: 1, envs: 1,
                observations: [
                    "observation": try WireTensor(shape: [2, 1, 5], values: mask + [0, 0] + [1, 1, 1, 0, 0])
                ],
                actions: ["action": try WireTensor(shape: [1, 1, 1], values: [action])],
                rewards: try WireTensor(shape: [1, 1], values: [Float(0)]),
                terminated: try WireTensor(shape: [1, 1], bools: [false]),
                truncated: try WireTensor(shape: [1, 1], bools: [false]),
                behaviourLogProbs: try WireTensor(shape: [1, 1], values: [Float(0)]))
        }
        #expect(schema.violation(of: try batch(mask: [0, 1, 0], action: 1)) == nil)
        #expect(schema.violation(of: try batch(mask: [0, 1, 0], action: 2))?.reason == .invalidAction)
    }

    @Test func hugeFeatureDimensionsAreRefusedWithoutTrapping() throws {
        var (learner, valid) = try Self.cartPole()
        let huge = try #require(
            try MalformedBatches.cases(from: valid).first { $0.name == "envs 0 with huge feature dimensions" })
        // The learner itself refuses it too, instead of trapping on the product of its dimensions.
        #expect(throws: AdapterError.self) { try learner.update(with: [huge.batch]) }
    }

    @Test func anUpdateThatIsNotFiniteIsUndone() throws {
        var (learner, valid) = try Self.cartPole()
        // Finite, so past the schema, but returns of 3e38 overflow every loss.
        let huge = try valid.with(rewards: WireTensor(shape: [6, 3], values: [Float](repeating: 3e38, count: 18)))
        #expect(learner.batchSchema?.violation(of: huge) == nil)
        let before = learner.weights
        #expect(throws: NonFiniteUpdate.self) { try learner.update(with: [huge]) }
        #expect(learner.weights == before)
        // The next, sane update trains as usual.
        try learner.update(with: [valid])
        #expect(learner.weights != before)
        let finite = learner.weights.values.allSatisfy { $0.isFinite }
        #expect(finite)
    }
}
