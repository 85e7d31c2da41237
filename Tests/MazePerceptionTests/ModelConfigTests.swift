import MazeConfig
import MazeCore
import MazePerception
import Testing

/// Model sections written in code, for the options the shipped files leave at their defaults.
@Suite struct ModelConfigTests {
    static func templateModel(modalities: ConfigNode, mapping: ConfigNode = ["observation": "feature"]) -> ConfigNode {
        [
            "_target_": "maze.perception.models.template_model_composer.TemplateModelComposer",
            "distribution_mapper_config": [],
            "model_builder": [
                "_target_": "maze.perception.builders.ConcatModelBuilder", "shared_embedding_keys": nil,
                "observation_modality_mapping": mapping, "modality_config": modalities,
            ],
            "policy": ["_target_": "maze.perception.models.policies.ProbabilisticPolicyComposer"],
            "critic": ["_target_": "maze.perception.models.critics.StateCriticComposer"],
        ]
    }

    static func dense(_ units: [Int], _ nonLinearity: String) -> ConfigNode {
        [
            "block_type": "maze.perception.blocks.DenseBlock",
            "block_params": ["hidden_units": .list(units.map { .int($0) }), "non_lin": .string(nonLinearity)],
        ]
    }

    static func build(_ model: ConfigNode, spaces: (observations: [StepKey: DictSpace], actions: [StepKey: DictSpace]))
        throws -> ActorCriticModel
    {
        try ActorCriticModel(
            config: ConfigSection(root: model), observationSpaces: spaces.observations, actionSpaces: spaces.actions,
            seed: 1)
    }

    @Test func hiddenBlockBecomesTheBody() throws {
        let model = try Self.build(
            Self.templateModel(modalities: [
                "feature": Self.dense([8], "torch.nn.ReLU"), "hidden": Self.dense([6], "torch.nn.Tanh"),
                "recurrence": [:],
            ]),
            spaces: TestSpaces.cartPole())
        #expect(model.parameters["policy.0.observation.0.weight"]?.shape == [8, 4])
        #expect(model.parameters["policy.0.body.0.weight"]?.shape == [6, 8])
        #expect(model.parameters["critic.0.value.weight"]?.shape == [1, 6])
        #expect((try model.policy().network.body?.block as? DenseBlock)?.layers.layers.first?.activation == .tanh)
    }

    @Test(arguments: [
        templateModel(modalities: ["feature": dense([8], "torch.nn.ELU")]),
        templateModel(modalities: [
            "feature": dense([8], "Tanh"), "recurrence": dense([8], "Tanh"),
        ]),
        templateModel(modalities: ["feature": dense([8], "Tanh")], mapping: ["observation": "image"]),
        templateModel(modalities: ["feature": dense([], "Tanh")]),
        templateModel(modalities: [
            "feature": [
                "block_type": "VGGConvolutionDenseBlock",
                "block_params": ["hidden_channels": [4], "hidden_units": [8], "non_lin": "ReLU"],
            ]
        ]),
        templateModel(modalities: [
            "feature": [
                "block_type": "DenseBlock",
                "block_params": ["hidden_units": [8], "non_lin": "ReLU", "hiden_units": [4]],
            ]
        ]),
    ])
    func unsupportedSettingsAreErrors(model: ConfigNode) throws {
        #expect(throws: (any Error).self) { try Self.build(model, spaces: TestSpaces.cartPole()) }
    }

    /// A custom composer with one network per sub-step of the structured Cutting2D env.
    @Test func customComposerTakesOneNetworkPerSubStep() throws {
        let network: (Int) -> ConfigNode = { units in
            ["_target_": "FlattenConcatPolicyNet", "non_lin": "Tanh", "hidden_units": [.int(units)]]
        }
        let model: ConfigNode = [
            "_target_": "CustomModelComposer",
            "distribution_mapper_config": [],
            "action_masks": ["inventory_mask": "piece_idx", "cutting_mask": "cut_rotation"],
            "policy": [
                "_target_": "ProbabilisticPolicyComposer", "networks": [network(12), network(7)],
                "substeps_with_separate_agent_nets": [],
            ],
            "critic": [
                "_target_": "SharedStateCriticComposer",
                "networks": [["_target_": "FlattenConcatStateValueNet", "non_lin": "ReLU", "hidden_units": [5]]],
            ],
        ]
        let built = try Self.build(model, spaces: TestSpaces.maskedCutting2D(pieces: 4))
        // Sub-step 0 reads inventory (4 × 2), inventory_size and ordered_piece; its mask is not an input.
        #expect(built.parameters["policy.0.body.0.weight"]?.shape == [12, 11])
        #expect(built.parameters["policy.1.body.0.weight"]?.shape == [7, 4])
        #expect(built.parameters["critic.shared.body.0.weight"]?.shape == [5, 13])
        #expect(built.criticSharing == .shared)
        #expect(try built.policy(step: 1).masks.map(\.actionKey) == ["cut_rotation"])
    }
}
