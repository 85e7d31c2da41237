import MazeConfig
import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

/// Networks composed from blocks in YAML: custom `InferenceBlock` networks wired by `in_keys`/`out_keys`,
/// template models with image and set modalities, and embeddings shared between policy and critic.
@Suite struct CustomNetworkTests {
    /// A screen `[1, 6, 6]`, an inventory set `[4, 2]` with its presence mask, and a 3-way action.
    static func spaces() throws -> (observations: [StepKey: DictSpace], actions: [StepKey: DictSpace]) {
        let observation: DictSpace = [
            "screen": .box(try BoxSpace(low: 0, high: 1, shape: [1, 6, 6])),
            "inventory": .box(try BoxSpace(low: 0, high: 10, shape: [4, 2])),
            "present": .box(try BoxSpace(low: 0, high: 1, shape: [4])),
        ]
        return ([0: observation], [0: ["action": .discrete(3)]])
    }

    static let screenBlock: ConfigNode = [
        "_target_": "VGGConvolutionDenseBlock", "in_keys": "screen", "out_keys": "screen_feat", "hidden_channels": [2],
        "hidden_units": [8],
        "non_lin": "ReLU",
    ]

    static func customModel(criticBlocks: ConfigNode, shared: ConfigNode = nil) -> ConfigNode {
        [
            "_target_": "maze.perception.models.custom_model_composer.CustomModelComposer",
            "distribution_mapper_config": [],
            "policy": [
                "_target_": "ProbabilisticPolicyComposer",
                "networks": [
                    [
                        "_target_": "maze.perception.blocks.inference.InferenceBlock", "out_keys": "hidden",
                        "perception_blocks": [
                            "screen_embedding": screenBlock,
                            "inventory_embedding": [
                                "_target_": "PointNetFeatureBlock", "in_keys": ["inventory", "present"],
                                "out_keys": "inventory_feat", "embedding_dim": 8,
                                "pooling_func_name": "max", "use_feature_transform": false, "non_lin": "ReLU",
                            ],
                            "latent": [
                                "_target_": "ConcatenationBlock", "in_keys": ["screen_feat", "inventory_feat"],
                                "out_keys": "latent", "concat_dim": -1,
                            ],
                            "hidden": [
                                "_target_": "DenseBlock", "in_keys": "latent", "out_keys": "hidden",
                                "hidden_units": [16], "non_lin": "Tanh",
                            ],
                        ],
                    ]
                ],
            ],
            "critic": [
                "_target_": "StateCriticComposer",
                "networks": [
                    [
                        "_target_": "InferenceBlock", "out_keys": "screen_feat", "perception_blocks": criticBlocks,
                        "shared_embedding_keys": shared,
                    ]
                ],
            ],
        ]
    }

    static func build(_ model: ConfigNode) throws -> ActorCriticModel {
        let spaces = try spaces()
        return try ActorCriticModel(
            config: ConfigSection(root: model), observationSpaces: spaces.observations, actionSpaces: spaces.actions,
            seed: 3)
    }

    static func observations(batch: Int) throws -> Tensor {
        var generator = SeededGenerator(seed: 4)
        let row = 36 + 8 + 4
        return try Tensor(
            shape: [batch, row], scalars: (0..<(batch * row)).map { _ in Float.random(in: 0...1, using: &generator) })
    }

    @Test func customNetworkSharesTheScreenEmbeddingWithTheCritic() throws {
        let model = try Self.build(
            Self.customModel(criticBlocks: ["screen_embedding": Self.screenBlock], shared: ["screen_feat"]))
        let names = model.parameters.names
        #expect(names.contains("policy.0.screen_embedding.conv.0.conv1.weight"))
        #expect(names.contains("policy.0.inventory_embedding.0.weight"))
        #expect(names.contains("policy.0.hidden.0.weight"))
        #expect(!names.contains { $0.hasPrefix("critic.0.screen_embedding") })
        #expect(model.parameters["critic.0.value.weight"]?.shape == [1, 8])

        // The tape path and the actors' path agree, and the value loss reaches the shared parameters.
        let observations = try Self.observations(batch: 3)
        var random = MazeRandom(seed: 1)
        let acted = try model.act(observations: observations, deterministic: true, random: &random)
        let tape = Tape()
        let parameters = tape.bind(model.parameters)
        let output = try model.policyOutput(observations: observations, parameters: parameters)
        #expect(zip(output.logits.value.scalars, acted.logits.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
        let values = try model.values(observations: observations, parameters: parameters)
        #expect(zip(values.value.scalars, acted.values).allSatisfy { abs($0 - $1) < 1e-5 })
        try tape.backward(from: values.sum())
        let shared = try #require(try parameters.gradients()["policy.0.screen_embedding.dense.0.weight"])
        #expect(shared.scalars.contains { $0 != 0 })
    }

    @Test func unsharedCriticHasItsOwnBlocks() throws {
        let model = try Self.build(Self.customModel(criticBlocks: ["screen_embedding": Self.screenBlock]))
        #expect(model.parameters.names.contains("critic.0.screen_embedding.conv.0.conv1.weight"))
    }

    @Test func wiringMistakesAreRefused() throws {
        let wrongInput: ConfigNode = [
            "_target_": "VGGConvolutionDenseBlock", "in_keys": "scren", "out_keys": "screen_feat",
            "hidden_channels": [2], "hidden_units": [8],
            "non_lin": "ReLU",
        ]
        #expect(throws: PerceptionError.self) {
            try Self.build(Self.customModel(criticBlocks: ["screen_embedding": wrongInput]))
        }
        #expect(throws: PerceptionError.self) {
            try Self.build(Self.customModel(criticBlocks: ["screen_embedding": Self.screenBlock], shared: ["latent"]))
        }
    }

    /// Maze's template model with an image modality and `shared_embedding_keys`.
    @Test func templateModelWithImageAndSetModalitiesSharesEmbeddings() throws {
        let built = try Self.build(Self.templateModelWithSharedScreen)
        let names = built.parameters.names
        #expect(names.contains("policy.0.screen.conv.0.conv1.weight"))
        #expect(!names.contains { $0.hasPrefix("critic.0.screen") })
        #expect(names.contains("critic.0.inventory.0.weight"))
        #expect(built.parameters["critic.0.body.0.weight"]?.shape == [16, 8 + 8 + 4])
        var random = MazeRandom(seed: 2)
        let acted = try built.act(observations: try Self.observations(batch: 2), deterministic: false, random: &random)
        #expect(acted.values.count == 2)
    }

    /// `evaluate` computes the shared screen embedding once for policy and critic; its log-probabilities, values
    /// and every parameter's gradient equal those of the policy and the critic computed apart.
    @Test func sharedEmbeddingComputedOnceGivesTheSameValuesAndGradients() throws {
        let model = try Self.build(Self.templateModelWithSharedScreen)
        let observations = try Self.observations(batch: 4)
        let actions = try Tensor(shape: [4, 1], scalars: [0, 2, 1, 2])

        let apartTape = Tape()
        let apart = apartTape.bind(model.parameters)
        let output = try model.policyOutput(observations: observations, parameters: apart)
        let apartLogProbs = try output.distribution.logProb(actions)
        let apartValues = try model.values(observations: observations, parameters: apart)
        try apartTape.backward(from: apartLogProbs.sum() + apartValues.sum())

        let onceTape = Tape()
        let once = onceTape.bind(model.parameters)
        let evaluation = try model.evaluate(observations: observations, actions: actions, parameters: once)
        try onceTape.backward(from: evaluation.logProbs.sum() + evaluation.values.sum())

        func close(_ a: Tensor, _ b: Tensor) -> Bool {
            a.shape == b.shape && zip(a.scalars, b.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }
        }
        #expect(close(evaluation.logProbs.value, apartLogProbs.value))
        #expect(close(evaluation.values.value, apartValues.value))
        let apartGradients = try apart.gradients()
        let onceGradients = try once.gradients()
        #expect(Set(onceGradients.names) == Set(apartGradients.names))
        #expect(onceGradients["policy.0.screen.conv.0.conv1.weight"]?.scalars.contains { $0 != 0 } == true)
        for name in apartGradients.names {
            let (a, b) = (try #require(onceGradients[name]), try #require(apartGradients[name]))
            #expect(close(a, b), "gradient of \(name)")
        }
    }

    static let templateModelWithSharedScreen: ConfigNode = {
        let model: ConfigNode = [
            "_target_": "TemplateModelComposer",
            "distribution_mapper_config": [],
            "model_builder": [
                "_target_": "ConcatModelBuilder", "shared_embedding_keys": ["screen"],
                "observation_modality_mapping": ["screen": "image", "inventory": "set", "present": "feature"],
                "modality_config": [
                    "feature": ["block_type": "DenseBlock", "block_params": ["hidden_units": [4], "non_lin": "ReLU"]],
                    "image": [
                        "block_type": "VGGConvolutionDenseBlock",
                        "block_params": ["hidden_channels": [2], "hidden_units": [8], "non_lin": "ReLU"],
                    ],
                    "set": [
                        "block_type": "PointNetFeatureBlock",
                        "block_params": [
                            "embedding_dim": 8, "pooling_func_name": "mean", "use_feature_transform": false,
                            "non_lin": "ReLU",
                        ],
                    ],
                    "hidden": ["block_type": "DenseBlock", "block_params": ["hidden_units": [16], "non_lin": "Tanh"]],
                    "recurrence": [:],
                ],
            ],
            "policy": ["_target_": "ProbabilisticPolicyComposer"],
            "critic": ["_target_": "StateCriticComposer"],
        ]
        return model
    }()
}
