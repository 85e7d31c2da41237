import Foundation
import MazeConfig
import MazeCore
import MazePerception
import MazeTestSupport
import Testing

@testable import MazeEnvs
@testable import MazeTrain

/// A set model learns: PPO with the shipped `conf/model/cutting_2d_point_net.yaml` (a `PointNetFeatureBlock`
/// over the inventory, each piece scored in the context of the whole set) on the masked structured cutting
/// problem with a small inventory that fills up, compared with the random masked policy and the greedy best-fit
/// heuristic by raw pieces used per step. In the serialized learning suite, so that no two trainings compete.
extension LearningTests {
    static let setModelInventory = 10

    /// PPO: lr 1e-3, γ 0.99, λ 0.95, 32-decision rollouts of 8 envs, minibatches of 128, 10 passes, no entropy
    /// bonus, gradient norm 0.5; trains until an evaluation matches the greedy heuristic's return.
    @Test func pointNetSetModelCutsAtLeastAsWellAsTheGreedyHeuristic() throws {
        let makeEnv = { try Self.makeCuttingEnv(maxPieces: Self.setModelInventory) }
        let random = try Self.rawPiecesPerStep(
            RandomPolicy(
                actionSpaces: try makeEnv().actionSpaces,
                maskKeys: ["piece_idx": "inventory_mask", "cut_rotation": "cutting_mask"], seed: 3),
            episodes: 4, makeEnv: makeEnv)
        let greedy = try Self.rawPiecesPerStep(Cutting2DGreedyPolicy(), episodes: 1, makeEnv: makeEnv)

        let url = PythonInterop.repositoryRoot.appendingPathComponent("conf/model/cutting_2d_point_net.yaml")
        let recipe = try PerceptionRegistry.standard().recipe(
            model: ConfigSection(root: try ConfigNode(yaml: String(contentsOf: url, encoding: .utf8))))
        var settings = Self.ppo(rolloutSteps: 32, epochLength: 4, batchSize: 128)
        settings.common.rolloutEvaluator.nEpisodes = 1
        var options = DevRunner<ActorCriticModel>.Options()
        options.seed = 1
        options.maxEnvSteps = 200_000
        options.log = { _ in }
        options.targetReturn = greedy.meanReturn
        let clock = ContinuousClock()
        let start = clock.now
        let runner = try DevRunner.make(
            makeEnv: makeEnv, algorithm: PPO(settings), recipe: recipe, envCount: 8, options: options)
        let summary = try runner.train()

        let evaluationEnv = LogStatsWrapper(try makeEnv(), loggingPrefix: "eval")
        let evaluator = try RolloutEvaluator(
            envs: [evaluationEnv], settings: EvaluatorSettings(deterministic: true, nEpisodes: 1), seed: 9)
        let trained = try Self.rawPieces(in: evaluator.evaluate(runner.model).stats)
        print(
            "[learning] cutting_2d_struct_masked (inventory \(Self.setModelInventory)) PPO with a PointNet set model: "
                + "\(trained) raw pieces/step after \(summary.envSteps) env steps in \(clock.now - start) "
                + "(target at \(summary.envStepsToTarget.map(String.init) ?? "never")); "
                + "random masked \(random.rawPieces), greedy \(greedy.rawPieces)")
        #expect(trained < random.rawPieces)
        #expect(trained <= greedy.rawPieces)
    }
}
