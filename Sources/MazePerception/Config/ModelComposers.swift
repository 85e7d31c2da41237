import MazeConfig

/// Maze's two model composers, reading a whole `model` section. Every level refuses a key it does not read
/// (naming the nearest known one), so that no setting of a model is silently ignored.
enum ModelComposers {
    /// The keys of a `model` section that both composers read.
    private static let modelKeys: Set<String> = [
        "_target_", "distribution_mapper_config", "policy", "critic", "action_masks",
    ]

    /// `TemplateModelComposer`: policy and critic networks both built by the `model_builder`.
    static func template(_ model: ConfigSection, _ registry: PerceptionRegistry) throws -> ModelRecipe {
        try model.refuseKeys(otherThan: modelKeys.union(["model_builder"]))
        try model.section("policy").refuseKeys(otherThan: ["_target_"])
        try model.nonNull("critic")?.refuseKeys(otherThan: ["_target_"])
        let trunk = try registry.modelBuilders.make(from: model.section("model_builder"))
        return try recipe(model, registry, policyTrunks: [trunk], criticTrunks: { _ in [trunk] })
    }

    /// `CustomModelComposer`: explicit `networks` lists under `policy` and `critic` (one entry for all
    /// sub-steps, or one per sub-step in step-key order).
    static func custom(_ model: ConfigSection, _ registry: PerceptionRegistry) throws -> ModelRecipe {
        try model.refuseKeys(otherThan: modelKeys)
        let policy = try model.section("policy")
        try policy.refuseKeys(otherThan: ["_target_", "networks", "substeps_with_separate_agent_nets"])
        // Maze's separate networks per agent of a sub-step: every agent of a sub-step shares its networks here.
        if let separate = policy.nonNull("substeps_with_separate_agent_nets"), !(try separate.elements().isEmpty) {
            throw PerceptionError.invalidConfiguration(
                "\(separate.dottedPath): separate networks per agent are not supported (agents of a sub-step share "
                    + "its networks; use [])")
        }
        let policyTrunks = try networks(policy, registry)
        return try recipe(
            model, registry, policyTrunks: policyTrunks,
            criticTrunks: { critic in
                try critic.refuseKeys(otherThan: ["_target_", "networks"])
                return try networks(critic, registry)
            })
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
