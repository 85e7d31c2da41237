import MazeConfig

/// The perception components configs can name, registered under Maze's class names (dotted Python
/// paths resolve by their last component): model composers, policy and critic composers, built-in
/// networks, model builders and blocks.
public struct PerceptionRegistry: Sendable {
    /// `TemplateModelComposer`, `CustomModelComposer`: a whole `model` section → recipe.
    public private(set) var modelComposers = ComponentRegistry<ModelRecipe>(kind: "model composer")
    /// `ProbabilisticPolicyComposer`.
    public private(set) var policyComposers = ComponentRegistry<PolicyComposition>(kind: "policy composer")
    /// `StateCriticComposer`, `StepStateCriticComposer`, `SharedStateCriticComposer`.
    public private(set) var criticComposers = ComponentRegistry<CriticSharing>(kind: "critic composer")
    /// `FlattenConcatPolicyNet`, `FlattenConcatStateValueNet`, `InferenceBlock` (a custom network of
    /// blocks): a `networks` entry → trunk.
    public private(set) var networks = ComponentRegistry<TrunkRecipe>(kind: "network")
    /// `ConcatModelBuilder`: a `model_builder` section → trunk.
    public private(set) var modelBuilders = ComponentRegistry<TrunkRecipe>(kind: "model builder")
    /// `DenseBlock`, `VGGConvolutionDenseBlock`, …: a block's settings → its recipe.
    public private(set) var blocks = ComponentRegistry<BlockRecipe>(kind: "block")

    /// The registry with every built-in component.
    public static func standard() throws -> PerceptionRegistry {
        var registry = PerceptionRegistry()
        try StandardBlocks.register(in: &registry.blocks)
        try registry.policyComposers.register("ProbabilisticPolicyComposer") { _ in .probabilistic }
        for name in ["StateCriticComposer", "StepStateCriticComposer"] {
            try registry.criticComposers.register(name) { _ in .perStep }
        }
        try registry.criticComposers.register("SharedStateCriticComposer") { _ in .shared }
        for name in ["FlattenConcatPolicyNet", "FlattenConcatStateValueNet"] {
            try registry.networks.register(name) { config in
                .flattenConcat(hiddenUnits: try config.hiddenUnits(), nonLinearity: try config.nonLinearity())
            }
        }
        let blocks = registry.blocks
        try registry.networks.register("InferenceBlock") { try GraphRecipe.trunk(config: $0, blocks: blocks) }
        try registry.modelBuilders.register("ConcatModelBuilder") { try ConcatModelBuilder.trunk(from: $0, blocks: blocks) }
        let components = registry
        try registry.modelComposers.register("TemplateModelComposer") { try ModelComposers.template($0, components) }
        try registry.modelComposers.register("CustomModelComposer") { try ModelComposers.custom($0, components) }
        return registry
    }

    /// The recipe of a `model` config section (its `_target_` picks the composer).
    public func recipe(model: ConfigSection) throws -> ModelRecipe {
        try modelComposers.make(from: model)
    }
}
