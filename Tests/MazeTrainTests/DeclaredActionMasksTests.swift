import MazeCore
import MazePerception
import Testing

@testable import MazeEnvs
@testable import MazeTrain

/// The masked structured Cutting2D env declares its masks (`inventory_mask` → `piece_idx`,
/// `cutting_mask` → `cut_rotation`), so a model built for it masks without `model.action_masks`.
@Suite struct DeclaredActionMasksTests {
    static let arguments: ConfigSection = [
        "max_pieces_in_inventory": .int(8), "raw_piece_size": .list([.int(10), .int(10)]),
        "static_demand": .list([.int(3), .int(2)]),
    ]

    static func maskedEnv(_ name: String = "cutting_2d_struct_masked") throws -> any StructuredEnv {
        try TimeLimitWrapper(Registries.withMazeEnvs.makeEnv(name, arguments), maxEpisodeSteps: 40)
    }

    /// Invalid choices of an untrained flatten-concat model (no listed masks) sampling in `envName`.
    static func invalidChoicesOfAnUntrainedModel(in envName: String) throws -> Double {
        let env = LogStatsWrapper(try maskedEnv(envName), loggingPrefix: "eval")
        let model = try ActorCriticModel(recipe: .flattenConcat(hiddenUnits: [8]), env: env, seed: 3)
        let evaluator = try RolloutEvaluator(
            envs: [env], settings: EvaluatorSettings(deterministic: false, nEpisodes: 3), seed: 5)
        return invalidChoices(in: try evaluator.evaluate(model).stats)
    }

    /// Invalid piece selections and invalid cuts summed over the evaluation statistics.
    static func invalidChoices(in stats: LogStats) -> Double {
        stats.entries.filter { $0.key.event == "invalid_piece_selected" || $0.key.event == "invalid_cut" }
            .map(\.value.scalar).reduce(0, +)
    }

    @Test func theMaskedEnvDeclaresItsMasksThroughItsWrappers() throws {
        let env = LogStatsWrapper(try Self.maskedEnv(), loggingPrefix: "eval")
        #expect(env.actionMasks == ["inventory_mask": "piece_idx", "cutting_mask": "cut_rotation"])
        let unmasked = try Registries.withMazeEnvs.makeEnv("cutting_2d_struct", Self.arguments)
        #expect(unmasked.actionMasks.isEmpty)
    }

    @Test func anUntrainedModelMakesNoInvalidChoicesWithoutListedMasks() throws {
        #expect(try Self.invalidChoicesOfAnUntrainedModel(in: "cutting_2d_struct") > 0)
        #expect(try Self.invalidChoicesOfAnUntrainedModel(in: "cutting_2d_struct_masked") == 0)
    }

    @Test func theRandomPolicyHonoursTheDeclaredMasks() throws {
        let env = try Self.maskedEnv()
        let policy = try Registries.withMazeEnvs.makePolicy("random_policy", [:], for: env)
        let flat = try #require(env.findWrapper(StructuredCutting2DEnv.self)).flatEnv
        var observation = try env.reset()
        for _ in 0..<40 {
            let result = try env.step(
                try policy.computeAction(observation: observation, actorID: env.actorID, deterministic: false, env: env)
            )
            if result.done { break }
            observation = result.observation
        }
        #expect(flat.events.query(Cutting2DEvents.invalidPieceSelected).isEmpty)
    }
}
