import Foundation
import Testing

/// Memory is learned through the service: `+experiment=cartpole_no_velocity_ppo_lstm` (PPO with an LSTM policy and
/// critic on CartPole-v1 with its velocities hidden, rl-zoo's RecurrentPPO settings for CartPoleNoVel-v1; the dev
/// runner's `RecurrentLearningTests` train the same experiment) submitted to a `maze learner` fed by
/// `maze actor --workers 2` (2 envs each, 4 batches of 2 envs per update: 32-step rollouts of 8 envs, as in the dev
/// runner). It must reach 475 within the experiment's 49 epochs, over which learning rate and clip range anneal.
/// The workers carry each env's state across rollouts and reset it at episode ends; every batch carries the state
/// its envs started from (`initial_state`), and the learner's update recomputes the rollout from it.
///
///     swift build -c release --product maze && MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 \
///       swift test -c release --filter RecurrentServiceLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct RecurrentServiceLearningTests {
    static let overrides = [
        "+experiment=cartpole_no_velocity_ppo_lstm", "+algorithm.actors_batch_size=4", "seeding.env_base_seed=1",
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
