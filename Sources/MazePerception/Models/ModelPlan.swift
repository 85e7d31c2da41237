import MazeCore

/// The policies and critics a recipe yields for concrete spaces.
struct ModelPlan {
    let policies: [StepKey: PolicyNetwork]
    let critics: [StepKey: CriticNetwork]

    init(
        recipe: ModelRecipe, stepKeys: [StepKey], observationSpaces: [StepKey: DictSpace],
        actionSpaces: [StepKey: DictSpace]
    ) throws {
        var policies: [StepKey: PolicyNetwork] = [:]
        var inputsPerStep: [StepKey: [(key: String, width: Int)]] = [:]
        for (index, step) in stepKeys.enumerated() {
            guard let observationSpace = observationSpaces[step], let actionSpace = actionSpaces[step] else {
                throw PerceptionError.unknownStep(step.rawValue)
            }
            let layout = ObservationLayout(observationSpace)
            let masks = Self.maskBindings(recipe.actionMasks, layout: layout, actionSpace: actionSpace)
            let inputs = Self.inputs(of: observationSpace, recipe: recipe, masks: masks)
            let shapes = Self.shapes(of: [observationSpace])
            inputsPerStep[step] = inputs
            let heads = try recipe.distributionMapper.heads(for: actionSpace)
            let network = try NetworkFactory.network(
                prefix: "policy.\(step)", trunk: ModelRecipe.trunk(recipe.policyTrunks, at: index, role: "policy"),
                inputs: inputs,
                shapes: shapes, layout: layout, heads: heads.map { ($0.key, $0.parameterWidth) },
                headGain: NetworkFactory.policyHeadGain)
            policies[step] = try PolicyNetwork(
                network: network, heads: heads, masks: masks, observationWidth: layout.width)
        }
        var critics: [StepKey: CriticNetwork] = [:]
        let sharedInputs = Self.union(stepKeys.compactMap { inputsPerStep[$0] })
        for (index, step) in stepKeys.enumerated() {
            guard let observationSpace = observationSpaces[step], let inputs = inputsPerStep[step] else { continue }
            let shared = recipe.criticSharing == .shared
            let trunk = try ModelRecipe.trunk(recipe.criticTrunks, at: shared ? 0 : index, role: "critic")
            // Shared embeddings come from the policy of the critic's own sub-step; a critic shared by
            // several sub-steps has no single policy to share with.
            if shared, stepKeys.count > 1, !trunk.sharedEmbeddingKeys.isEmpty {
                throw PerceptionError.invalidConfiguration(
                    "shared_embedding_keys \(trunk.sharedEmbeddingKeys.sorted()): a critic shared by \(stepKeys.count) sub-steps cannot share one policy's embeddings"
                )
            }
            let network = try NetworkFactory.network(
                prefix: shared ? "critic.shared" : "critic.\(step)",
                trunk: trunk,
                inputs: shared ? sharedInputs : inputs,
                shapes: shared
                    ? Self.shapes(of: stepKeys.compactMap { observationSpaces[$0] })
                    : Self.shapes(of: [observationSpace]),
                layout: ObservationLayout(observationSpace),
                heads: [("value", 1)], headGain: NetworkFactory.valueHeadGain, sharedPrefix: "policy.\(step)")
            critics[step] = try CriticNetwork(network: network)
        }
        self.policies = policies
        self.critics = critics
    }

    /// Masks for this step's actions: listed in the recipe, or named `<action>_mask`.
    private static func maskBindings(_ listed: [String: String], layout: ObservationLayout, actionSpace: DictSpace)
        -> [ActionMaskBinding]
    {
        layout.keys.compactMap { key in
            let suffix = "_mask"
            let action = listed[key] ?? (key.hasSuffix(suffix) ? String(key.dropLast(suffix.count)) : nil)
            guard let action, actionSpace[action] != nil, let columns = layout.columns(of: key) else { return nil }
            return ActionMaskBinding(observationKey: key, actionKey: action, columns: columns)
        }
    }

    /// The network inputs of a step: every observation except masks, with widths.
    private static func inputs(of space: DictSpace, recipe: ModelRecipe, masks: [ActionMaskBinding]) -> [(
        key: String, width: Int
    )] {
        let maskKeys = Set(recipe.actionMasks.keys).union(masks.map(\.observationKey))
        return space.filter { !maskKeys.contains($0.key) }.map { ($0.key, $0.space.elementCount) }
    }

    /// The per-sample shape of every observation key of the given spaces.
    private static func shapes(of spaces: [DictSpace]) -> [String: [Int]] {
        var shapes: [String: [Int]] = [:]
        for space in spaces {
            for (key, value) in space where shapes[key] == nil { shapes[key] = value.shape }
        }
        return shapes
    }

    /// The keys of all steps, each once, in order of first appearance.
    private static func union(_ lists: [[(key: String, width: Int)]]) -> [(key: String, width: Int)] {
        var seen = Set<String>()
        return lists.flatMap { $0 }.filter { seen.insert($0.key).inserted }
    }
}
