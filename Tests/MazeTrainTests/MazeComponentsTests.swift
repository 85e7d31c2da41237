import MazeConfig
import MazeCore
import MazePerception
import MazeTrain
import Testing

/// What a user's `maze` registers is what its configs can name: envs through the registries, perception blocks
/// through `addPerception`, seen by the built-in model builder.
@Suite struct MazeComponentsTests {
    private static let model: ConfigNode = [
        "_target_": "TemplateModelComposer",
        "distribution_mapper_config": [],
        "model_builder": [
            "_target_": "ConcatModelBuilder", "shared_embedding_keys": nil,
            "observation_modality_mapping": ["observation": "feature"],
            "modality_config": [
                "feature": ["block_type": "WideDenseBlock", "block_params": [:]], "hidden": [:], "recurrence": [:],
            ],
        ],
        "policy": ["_target_": "ProbabilisticPolicyComposer"],
        "critic": ["_target_": "StateCriticComposer"],
    ]

    @Test func builtInComponentsBuildTheShippedEnvs() throws {
        let env = try MazeComponents.builtIn.registries.makeEnv("CartPole-v1")
        #expect(env.observationSpaces[0]?.keys.isEmpty == false)
    }

    @Test func registeredEnvsAreBuiltFromConfig() throws {
        var components = MazeComponents.builtIn
        components.registries.envs.register("my_cartpole", keys: []) { _ in
            try MazeComponents.builtIn.registries.makeEnv("CartPole-v1")
        }
        let root = ConfigSection(root: ["env": ["_target_": "my_cartpole"]])
        #expect(try EnvConfiguration(config: root, registries: components.registries).envName == "my_cartpole")
        #expect(throws: (any Error).self) {
            try EnvConfiguration(config: root, registries: MazeComponents.builtIn.registries)
        }
    }

    @Test func addedPerceptionBlocksAreSeenByTheBuiltInModelBuilder() throws {
        var components = MazeComponents.builtIn
        components.addPerception { registry in
            try registry.blocks.register("WideDenseBlock") { _ in
                BlockRecipe.dense(hiddenUnits: [5], nonLinearity: .relu)
            }
        }
        let recipe = try components.perception().recipe(model: ConfigSection(root: Self.model))
        #expect(
            recipe.policyTrunks.first?.keyBlocks["observation"]
                == BlockRecipe.dense(hiddenUnits: [5], nonLinearity: .relu))
        #expect(throws: (any Error).self) {
            try MazeComponents.builtIn.perception().recipe(model: ConfigSection(root: Self.model))
        }
    }
}
