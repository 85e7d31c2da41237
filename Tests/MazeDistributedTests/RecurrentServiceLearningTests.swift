import Foundation
import Testing

/// Memory is learned through the service: PPO with an LSTM policy and critic on CartPole-v1 with its velocities
/// hidden (`wrappers=cartpole_no_velocity`, positions normalized), trained by a `maze learner` from
/// `maze actor --workers 2` (2 envs each). The workers carry each env's state across rollouts and reset it at
/// episode ends; every batch carries the state its envs started from (`initial_state`), and the learner's update
/// recomputes the rollout from it. The settings are the dev runner's learning test's
/// (`LearningTests.lstmPPOSolvesCartPoleWithoutVelocities`): rl-zoo's RecurrentPPO for CartPoleNoVel-v1, 32-step
/// rollouts of 8 envs per update (4 batches of 2), 20 passes over the whole rollout, lr 1e-3, clip range 0.2,
/// γ 0.98, λ 0.8; the observation goes straight into an LSTM of 64 units (`modality_config.feature` removed),
/// followed by its dense layer of 64 (ReLU).
///
/// Like the dev runner's test it does not yet reach 475 reliably, so it also needs `MAZE_LONG_LEARNING_TESTS=1`.
///
///     MAZE_LEARNING_TESTS=1 MAZE_LONG_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 swift test -c release \
///       --filter RecurrentServiceLearning
@Suite(
    .enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"),
    .enabled(if: ProcessInfo.processInfo.environment["MAZE_LONG_LEARNING_TESTS"] == "1"), .serialized)
struct RecurrentServiceLearningTests {
    static let overrides = [
        "env=cartpole", "wrappers=cartpole_no_velocity", "model=vector_obs_lstm", "critic=template_state",
        "~model.model_builder.modality_config.feature", "~model.model_builder.observation_modality_mapping",
        "model.model_builder.modality_config.recurrence.block_params.hidden_size=64",
        "model.model_builder.modality_config.recurrence.block_params.non_lin=ReLU",
        "algorithm=ppo", "algorithm.n_rollout_steps=32", "algorithm.epoch_length=8", "algorithm.batch_size=256",
        "algorithm.n_optimization_epochs=20", "algorithm.lr=0.001",
        "algorithm.gamma=0.98", "algorithm.gae_lambda=0.8", "algorithm.entropy_coef=0", "algorithm.max_grad_norm=0.5",
        "algorithm.n_epochs=0", "algorithm.patience=0", "+algorithm.actors_batch_size=4", "seeding.env_base_seed=1",
        "seeding.agent_base_seed=1",
    ]

    @Test func lstmPPOThroughALearnerWithTwoActorsSolvesCartPoleWithoutVelocities() throws {
        let cluster = try TestCluster(workers: 2)
        let start = Date()
        let submitted = try cluster.submit(Self.overrides)
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let best = try cluster.waitForBest(475, of: id, seconds: 600)
        let epoch = try cluster.status(id)?.epoch ?? 0
        print(
            "[learning] CartPole-v1 without velocities, PPO LSTM, learner + 2 actors: best \(best) after \(epoch) "
                + "epochs (\(epoch * 8 * 8 * 32) env steps), "
                + String(format: "%.0f s", Date().timeIntervalSince(start)))
        let cancelled = try TestCluster.maze(["cancel", id, "--learner", cluster.base, "--insecure"])
        #expect(cancelled.succeeded, "\(cancelled.errorOutput)")
        #expect(best >= 475)
    }
}
