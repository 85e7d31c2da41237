import MazeConfig

/// Maze's two model composers, reading a whole `model` section.
enum ModelComposers {
    /// `TemplateModelComposer`: policy and critic networks both built by the `model_builder`.
    static func template(_ model: ConfigSection, _ registry: PerceptionRegistry) throws -> ModelRecipe {
        let trunk = try registry.modelBuilders.make(from: model.section("model_builder"))
        return try recipe(model, registry, policyTrunks: [trunk], criticTrunks: { _ in [trunk] })
    }

    /// `CustomModelComposer`: explicit `networks` lists under `policy` and `critic` (one entry for all
    /// sub-steps, or one per sub-step in step-key order).
    static func custom(_ model: ConfigSection, _ registry: PerceptionRegistry) throws -> ModelRecipe {
        let policyTrunks = try networks(model.section("policy"), registry)
        return try recipe(model, registry, policyTrunks: policyTrunks, criticTrunks: { try networks($0, registry) })
    }

    private static func recipe(
        _ model: ConfigSection, _ registry: PerceptionRegistry, policyTrunks: [TrunkRecipe],
        criticTrunks: (ConfigSection) throws -> [TrunkRecipe]
    ) throws -> ModelRecipe {
        _ = try registry.policyComposers.make(from: model.section("policy"))
        guard let critic = model.nonNull("critic") else {
            throw PerceptionError.invalidConfiguration(
                "\(model.dottedPath).critic is null: an actor-critic needs a critic (select one, e.g. critic=template_state)"
            )
        }
        let mapper =
            try model.nonNull("distribution_mapper_config").map { try DistributionMapper(config: $0) }
            ?? DistributionMapper()
        var masks: [String: String] = [:]
        if let listed = model.nonNull("action_masks") {
            for entry in try listed.entries() { masks[entry.key ?? ""] = try entry.string() }
        }
        let composer = critic.contains("_target_") ? try critic.string("_target_") : ""
        return ModelRecipe(
            distributionMapper: mapper, policyTrunks: policyTrunks, criticTrunks: try criticTrunks(critic),
            criticSharing: try registry.criticComposers.make(from: critic), actionMasks: masks,
            criticKind: composer.hasSuffix("StateActionCriticComposer") ? .stateAction : .state)
    }

    private static func networks(_ composer: ConfigSection, _ registry: PerceptionRegistry) throws -> [TrunkRecipe] {
        let trunks = try composer.section("networks").elements().map { try registry.networks.make(from: $0) }
        guard !trunks.isEmpty else {
            throw PerceptionError.invalidConfiguration("\(composer.dottedPath).networks is empty")
        }
        return trunks
    }
}
