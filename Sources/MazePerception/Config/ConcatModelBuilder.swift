import MazeConfig

/// Maze's `ConcatModelBuilder`: every observation through the block of its modality, the results
/// concatenated, then the optional `hidden` block and the optional `recurrence` block (an `LSTMLastStepBlock`
/// or `LSTMBlock`, stepped with a state carried across env steps). Observations missing from
/// `observation_modality_mapping` use the `feature` modality when one is configured.
enum ConcatModelBuilder {
    static let reservedModalities: Set<String> = ["hidden", "recurrence"]

    static func trunk(from config: ConfigSection, blocks: ComponentRegistry<BlockRecipe>) throws -> TrunkRecipe {
        try config.refuseKeys(
            otherThan: ["_target_", "shared_embedding_keys", "observation_modality_mapping", "modality_config"])
        var sharedKeys = Set<String>()
        if let shared = config.nonNull("shared_embedding_keys"), !shared.isAbsent {
            sharedKeys = Set(try shared.strings())
        }
        let modalities = try config.section("modality_config")
        var modalityBlocks: [String: BlockRecipe] = [:]
        for entry in try modalities.entries() {
            guard let name = entry.key, !entry.isAbsent else { continue }
            try entry.refuseKeys(otherThan: ["block_type", "block_params"])
            let recipe = try blocks.make(entry.string("block_type"), config: entry.section("block_params"))
            if name == "recurrence", !RecurrentBlock.blockTypes.contains(recipe.type) {
                throw PerceptionError.invalidConfiguration(
                    "\(entry.dottedPath).block_type: \(recipe.type) is not recurrent; use one of "
                        + "\(RecurrentBlock.blockTypes.sorted())")
            }
            modalityBlocks[name] = recipe
        }
        var keyBlocks: [String: BlockRecipe] = [:]
        if let mapping = config.nonNull("observation_modality_mapping") {
            for entry in try mapping.entries() {
                let modality = try entry.string()
                guard let block = modalityBlocks[modality], !reservedModalities.contains(modality) else {
                    throw PerceptionError.invalidConfiguration(
                        "\(entry.dottedPath): modality '\(modality)' has no block in modality_config")
                }
                keyBlocks[entry.key ?? ""] = block
            }
        }
        return TrunkRecipe(
            keyBlocks: keyBlocks, defaultKeyBlock: modalityBlocks["feature"], body: modalityBlocks["hidden"],
            recurrence: modalityBlocks["recurrence"], sharedEmbeddingKeys: sharedKeys)
    }
}
