import MazeConfig
import MazeCore
import MazePerception
import MazeTensor
import MazeTestSupport
import MazeTrain
import Testing

/// A block as a user writes one in their own package, with the public API only: a learned scale per feature.
private struct FeatureScaleBlock: PerceptionBlock {
    let scaleName: String
    let inputShape: [Int]
    let initialScale: Float

    var outputShape: [Int] { inputShape }

    func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        let features = inputShape.last ?? 1
        parameters[scaleName] = try Tensor(
            shape: [features], scalars: [Float](repeating: initialScale, count: features))
    }

    func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try inputs[0] * parameters[scaleName]
    }

    static func register(in registry: inout PerceptionRegistry) throws {
        try registry.blocks.register("FeatureScaleBlock") { config in
            let settings = try BlockSettings(config, type: "FeatureScaleBlock", keys: ["initial_scale"])
            let scale = try settings.float("initial_scale", default: 1)
            return settings.recipe { name, shapes in
                FeatureScaleBlock(scaleName: name + ".scale", inputShape: shapes[0], initialScale: scale)
            }
        }
    }
}

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

    /// A custom network (`InferenceBlock`) whose first block is the user's `FeatureScaleBlock`.
    private static func customModel(scaleSettings: ConfigNode) -> ConfigNode {
        [
            "_target_": "CustomModelComposer", "distribution_mapper_config": [],
            "policy": [
                "_target_": "ProbabilisticPolicyComposer",
                "networks": [
                    [
                        "_target_": "InferenceBlock", "out_keys": "hidden",
                        "perception_blocks": [
                            "scaled": scaleSettings,
                            "hidden": [
                                "_target_": "DenseBlock", "in_keys": "scaled", "out_keys": "hidden",
                                "hidden_units": [4], "non_lin": "Tanh",
                            ],
                        ],
                    ]
                ],
            ],
            "critic": [
                "_target_": "StateCriticComposer",
                "networks": [["_target_": "FlattenConcatStateValueNet", "hidden_units": [4], "non_lin": "Tanh"]],
            ],
        ]
    }

    @Test func aUserBlockRunsInACustomNetworkWithItsOwnParametersAndGradients() throws {
        var components = MazeComponents.builtIn
        components.addPerception { try FeatureScaleBlock.register(in: &$0) }
        let env = try components.registries.makeEnv("CartPole-v1")
        let settings: ConfigNode = [
            "_target_": "my_package.blocks.FeatureScaleBlock", "in_keys": "observation", "out_keys": "scaled",
            "initial_scale": 0.5,
        ]
        let model = try ActorCriticModel(
            config: ConfigSection(root: Self.customModel(scaleSettings: settings)),
            observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces, seed: 1,
            registry: components.perception())
        let scales = model.parameters.names.filter { $0.hasSuffix(".scale") }
        #expect(scales.count == 1)
        let scale = try #require(scales.first.flatMap { model.parameters[$0] })
        #expect(scale.scalars == [0.5, 0.5, 0.5, 0.5])

        // The tape differentiates the user's forward pass with respect to its input and its parameter.
        let block = FeatureScaleBlock(scaleName: "s", inputShape: [3], initialScale: 0.5)
        var generator = SeededGenerator(seed: 2)
        let input = try Tensor(
            shape: [2, 3], scalars: (0..<6).map { _ in Float.random(in: -1...1, using: &generator) })
        let scaleValues = try Tensor(shape: [3], scalars: [0.5, -1, 2])
        let mismatches = try GradientChecker().mismatches([input, scaleValues]) { variables in
            let parameters = try BoundParameters(tape: variables[0].tape, variables: ["s": variables[1]])
            return try block([variables[0]], parameters).tanh()
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func aUserBlockRefusesAKeyItDoesNotReadNamingTheNearestOne() throws {
        var components = MazeComponents.builtIn
        components.addPerception { try FeatureScaleBlock.register(in: &$0) }
        let settings: ConfigNode = [
            "_target_": "FeatureScaleBlock", "in_keys": "observation", "out_keys": "scaled", "initial_scal": 0.5,
        ]
        let error = #expect(throws: (any Error).self) {
            try components.perception().recipe(model: ConfigSection(root: Self.customModel(scaleSettings: settings)))
        }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("initial_scal:") && message.contains("initial_scale?"), "\(message)")
    }
}
