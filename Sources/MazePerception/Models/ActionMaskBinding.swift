/// Ties an observation entry holding an action mask (1 = allowed) to the categorical action it
/// masks, e.g. Cutting2D's `inventory_mask` → `piece_idx`.
public struct ActionMaskBinding: Sendable, Hashable, Codable {
    /// The observation key holding the mask.
    public let observationKey: String
    /// The action key whose logits are masked.
    public let actionKey: String
    /// The mask's columns in the flat observation row.
    public let columns: Range<Int>

    public init(observationKey: String, actionKey: String, columns: Range<Int>) {
        self.observationKey = observationKey
        self.actionKey = actionKey
        self.columns = columns
    }
}
