import Foundation
import MazeTestSupport
import Testing

/// IMPALA through `maze learner` and two `maze actor` workers on a Gymnasium env served by the bridge
/// (`env.backend=gymnasium`): every worker, and the learner's evaluation, start their own env servers.
///
///     MAZE_LEARNING_TESTS=1 MAZE_PYTHON=$PWD/.venv/bin/python swift test -c release --filter BridgedServiceLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct BridgedServiceLearningTests {
    @Test func impalaSolvesBridgedCartPoleWithTwoActors() throws {
        try PythonInterop.requireModules(["gymnasium", "maze_gym_bridge"])
        let cluster = try TestCluster(workers: 2)
        let submitted = try cluster.submit([
            "env=gym_env", "env.name=CartPole-v1", "env.backend=gymnasium", "+env.n_servers=1", "model=vector_obs",
            "critic=template_state", "model.model_builder.modality_config.feature.block_params.hidden_units=[64,64]",
            "algorithm=impala", "algorithm.n_epochs=0", "algorithm.patience=0", "algorithm.lr=0.001",
            "algorithm.gamma=0.99",
            "algorithm.entropy_coef=0", "algorithm.max_grad_norm=0.5", "algorithm.n_rollout_steps=32",
            "algorithm.epoch_length=8",
            "algorithm.actors_batch_size=2", "algorithm.num_actors=2",
        ])
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let start = Date()
        var best = 0.0
        while Date().timeIntervalSince(start) < 900, best < 475 {
            Thread.sleep(forTimeInterval: 2)
            let status = try #require(try cluster.status(id))
            #expect(status.state == "running")
            if status.state != "running" { break }
            best = status.best ?? best
        }
        print(
            "[learning] bridged CartPole-v1 IMPALA, learner + 2 actors: best \(best) after \(Int(Date().timeIntervalSince(start))) s"
        )
        #expect(best >= 475)
    }
}
