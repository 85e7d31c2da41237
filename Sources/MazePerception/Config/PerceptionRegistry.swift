import MazeConfig

/// The perception components configs can name, registered under Maze's class names (dotted Python
/// paths resolve by their last component): model composers, policy and critic composers, built-in
/// networks, model builders and blocks.
public struct PerceptionRegistry: Sendable {
    /// `TemplateModelComposer` (also as `DefaultModelComposer`), `CustomModelComposer`: a whole `model` section →
    /// recipe.
    public var modelComposers = ComponentRegistry<ModelRecipe>(kind: "model composer")
    /// `ProbabilisticPolicyComposer`.
    public var policyComposers = ComponentRegistry<PolicyComposition>(kind: "policy composer")
    /// `StateCriticComposer`, `StepStateCriticComposer`, `SharedStateCriticComposer` and their
    /// state-action counterparts `(Step|Shared)StateActionCriticComposer` (``ModelRecipe/criticKind``).
    public var criticComposers = ComponentRegistry<CriticSharing>(kind: "critic composer")
    /// `FlattenConcatPolicyNet`, `FlattenConcatStateValueNet`, `InferenceBlock` (a custom network of
    /// blocks): a `networks` entry → trunk.
    public var networks = ComponentRegistry<TrunkRecipe>(kind: "network")
    /// `ConcatModelBuilder`: a `model_builder` section → trunk.
    public var modelBuilders = ComponentRegistry<TrunkRecipe>(kind: "model builder")
    /// `DenseBlock`, `VGGConvolutionDenseBlock`, …: a block's settings → its recipe.
    public var blocks = ComponentRegistry<BlockRecipe>(kind: "block")

    /// The registry with every built-in component, plus what `adding` registers (a user's own blocks,
    /// networks or composers), added before the built-in composers capture the registry so that they see it.
    public static func standard(adding: (inout PerceptionRegistry) throws -> Void = { _ in }) throws
        -> PerceptionRegistry
    {
        var registry = PerceptionRegistry()
        try StandardBlocks.register(in: &registry.blocks)
        try registry.policyComposers.register("ProbabilisticPolicyComposer") { _ in .probabilistic }
        for name in ["StateCriticComposer", "StepStateCriticComposer"] {
            try registry.criticComposers.register(name) { _ in .perStep }
        }
        try registry.criticComposers.register("SharedStateCriticComposer") { _ in .shared }
        for name in ["StateActionCriticComposer", "StepStateActionCriticComposer"] {
            try registry.criticComposers.register(name) { _ in .perStep }
        }
        try registry.criticComposers.register("SharedStateActionCriticComposer") { _ in .shared }
        try adding(&registry)
        for name in ["FlattenConcatPolicyNet", "FlattenConcatStateValueNet", "FlattenConcatStateActionValueNet"] {
            try registry.networks.register(name) { config in
                try config.refuseKeys(otherThan: ["_target_", "non_lin", "hidden_units"])
                return .flattenConcat(hiddenUnits: try config.hiddenUnits(), nonLinearity: try config.nonLinearity())
            }
        }
        let blocks = registry.blocks
        try registry.networks.register("InferenceBlock") { try GraphRecipe.trunk(config: $0, blocks: blocks) }
        try registry.modelBuilders.register("ConcatModelBuilder") {
            try ConcatModelBuilder.trunk(from: $0, blocks: blocks)
        }
        let components = registry
        // `DefaultModelComposer` is the template composer's name in parts of Maze's docs (its recurrent example).
        for name in ["TemplateModelComposer", "DefaultModelComposer"] {
            try registry.modelComposers.register(name) { try ModelComposers.template($0, components) }
        }
        try registry.modelComposers.register("CustomModelComposer") { try ModelComposers.custom($0, components) }
        return registry
    }

    /// The recipe of a `model` config section (its `_target_` picks the composer).
    public func recipe(model: ConfigSection) throws -> ModelRecipe {
        try modelComposers.make(from: model)
    }
}
