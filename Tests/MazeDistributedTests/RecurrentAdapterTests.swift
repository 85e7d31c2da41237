import Foundation
import MazeConfig
import MazeTensor
import MazeTestSupport
import MazeWire
import Testing

@testable import MazeDistributed
@testable import MazeService
@testable import MazeTrain

/// A recurrent policy through the service's adapters: the acting policy carries each env's state across rollouts
/// and resets it at episode ends, every batch carries the state its envs started from (`initial_state`), the
/// learner's schema requires it, and the learner's rollout recomputes exactly the acting log-probabilities.
@Suite("Recurrent policies on actors and learner")
struct RecurrentAdapterTests {
    /// PPO on velocity-free CartPole with the shipped LSTM model (32 units, policy and critic), 30-step rollouts.
    private static func experiment() throws -> (ExperimentConfig, String) {
        try ShippedExperiment.experiment([
            "env=cartpole", "wrappers=cartpole_no_velocity", "model=vector_obs_lstm", "critic=template_state",
            "algorithm=ppo", "algorithm.n_rollout_steps=30", "algorithm.epoch_length=1", "algorithm.batch_size=60",
            "algorithm.n_optimization_epochs=1", "algorithm.rollout_evaluator.n_episodes=1",
        ])
    }

    @Test func actorsCarryTheStateAndTheLearnerRecomputesFromIt() throws {
        let (config, yaml) = try Self.experiment()
        var learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        let schema = try #require(learner.batchSchema)
        // h and c of one 32-unit LSTM, for the policy and for the critic.
        #expect(schema.initialStateWidth == 2 * 32 * 2)
        var policy = try ActorCriticActingPolicy(config: config, envCount: 2, seed: 1)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        let batches = try (0..<2).map { _ in
            try policy.collect(RolloutIdentity(experimentID: "e", actorID: "actor-0", policyVersion: 0))
        }
        let states = try batches.map { try #require($0.initialState) }
        #expect(states.map(\.shape) == [[2, 128], [2, 128]])
        #expect(try states[0].values(as: Float.self).allSatisfy { $0 == 0 })
        #expect(try states[1].values(as: Float.self).contains { $0 != 0 })
        #expect(try batches[1].terminated.bools().contains(true))
        for batch in batches { #expect(schema.violation(of: batch) == nil) }

        // The learner's rollout holds the initial states and recomputes the acting log-probabilities from them,
        // through the episode ends inside the rollout.
        let rollout = try RolloutAssembly.buffer(from: [batches[1]])
        #expect(rollout.initialStates == (try states[1].values(as: Float.self)))
        let evaluation = try policy.model.evaluateSequences(
            RecurrentSegment(rollout), parameters: Tape().bind(policy.model.parameters))
        let acted = try batches[1].behaviourLogProbs.values(as: Float.self)
        for (recomputed, acting) in zip(evaluation.logProbs.value.scalars, acted) {
            #expect(abs(recomputed - acting) < 1e-4)
        }

        let before = learner.weights
        try learner.update(with: batches)
        #expect(learner.weights != before)
    }

    @Test func theSchemaRequiresTheStateOfTheModel() throws {
        let (config, yaml) = try Self.experiment()
        let learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        let schema = try #require(learner.batchSchema)
        var policy = try ActorCriticActingPolicy(config: config, envCount: 2, seed: 2)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        let valid = try policy.collect(RolloutIdentity(experimentID: "e", actorID: "actor-0", policyVersion: 0))
        let stateless = try TrajectoryBatch(
            experimentID: valid.experimentID, actorID: valid.actorID, policyVersion: valid.policyVersion,
            steps: valid.steps, envs: valid.envs, observations: valid.observations, actions: valid.actions,
            rewards: valid.rewards, terminated: valid.terminated, truncated: valid.truncated,
            behaviourLogProbs: valid.behaviourLogProbs, behaviourLogits: valid.behaviourLogits,
            episodes: valid.episodes)
        #expect(schema.violation(of: stateless)?.reason == .schema)
        let narrow = try valid.with(
            initialState: WireTensor(shape: [2, 64], values: [Float](repeating: 0, count: 128)))
        #expect(schema.violation(of: narrow)?.detail == "initial_state has shape [2, 64], it must be [2, 128]")
        let infinite = try valid.with(
            initialState: WireTensor(shape: [2, 128], values: [Float](repeating: .infinity, count: 256)))
        #expect(schema.violation(of: infinite)?.reason == .nonFinite)
    }
}
