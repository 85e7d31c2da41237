import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import Testing

@testable import MazeTrain

/// A set model learns: the Cutting2D inventory is a set of pieces (`[slots, 2]`, empty slots are zero
/// rows), embedded by a `PointNetFeatureBlock` whose max pooling ignores the order of the slots.
/// In the serialized learning suite, so that no two trainings compete for the cores.
extension LearningTests {
    /// A smaller inventory than the tutorial's 200 slots keeps the per-point layers cheap.
    static let smallCuttingArguments: ComponentArguments = [
        "max_pieces_in_inventory": .int(30), "raw_piece_size": .list([.int(100), .int(100)]),
        "static_demand": .list([.int(30), .int(15)]),
    ]

    static func makeSmallCuttingEnv() throws -> any StructuredEnv {
        try TimeLimitWrapper(Registries.withMazeEnvs.makeEnv("cutting_2d_struct_masked", smallCuttingArguments), maxEpisodeSteps: 200)
    }

    /// PPO (settings as the flatten-concat Cutting2D test: lr 1e-3, γ 0.99, λ 0.95, 32-decision rollouts of
    /// 8 envs, minibatches of 128, 10 passes) with the inventory through a PointNet (embedding 32, max
    /// pooling, ReLU) and the other observations concatenated to it, then a dense body of 64 units;
    /// it must use fewer raw pieces per step than the random masked policy after 60 000 env steps.
    @Test func ppoWithPointNetInventoryLearnsToCut() throws {
        let maskKeys = ["piece_idx": "inventory_mask", "cut_rotation": "cutting_mask"]
        let env = try Self.makeSmallCuttingEnv()
        let random = try Self.rawPiecesPerStep(
            RandomPolicy(actionSpaces: env.actionSpaces, maskKeys: maskKeys, seed: 3), episodes: 4, makeEnv: Self.makeSmallCuttingEnv)

        let blocks = try PerceptionRegistry.standard().blocks
        let pointNet = try blocks.make(from: ConfigSection(root: [
            "_target_": "PointNetFeatureBlock", "embedding_dim": 32, "pooling_func_name": "max", "use_feature_transform": false, "non_lin": "ReLU",
        ]))
        let body = try blocks.make(from: ConfigSection(root: ["_target_": "DenseBlock", "hidden_units": [64], "non_lin": "Tanh"]))
        let trunk = TrunkRecipe(keyBlocks: ["inventory": pointNet], body: body)
        let recipe = ModelRecipe(
            policyTrunks: [trunk], criticTrunks: [trunk], actionMasks: ["inventory_mask": "piece_idx", "cutting_mask": "cut_rotation"])

        var settings = Self.ppo(rolloutSteps: 32, epochLength: 4, batchSize: 128)
        settings.common.rolloutEvaluator.nEpisodes = 1
        var options = DevRunner<ActorCriticModel>.Options()
        options.seed = 1
        options.maxEnvSteps = 60_000
        options.log = { _ in }
        let start = Date()
        let runner = try DevRunner.make(makeEnv: Self.makeSmallCuttingEnv, algorithm: PPO(settings), recipe: recipe, envCount: 8, options: options)
        let summary = try runner.train()

        let evaluationEnv = LogStatsWrapper(try Self.makeSmallCuttingEnv(), loggingPrefix: "eval")
        let evaluator = try RolloutEvaluator(env: evaluationEnv, settings: EvaluatorSettings(deterministic: true, nEpisodes: 1), seed: 9)
        let trained = try Self.rawPieces(in: evaluator.evaluate(runner.model).stats)
        print(
            "[learning] cutting_2d_struct_masked (30 slots) PPO + PointNetFeatureBlock: \(trained) raw pieces/step after \(summary.envSteps) env steps "
                + "in \(Int(Date().timeIntervalSince(start))) s; random masked \(random.rawPieces)")
        #expect(trained < random.rawPieces)
    }
}
