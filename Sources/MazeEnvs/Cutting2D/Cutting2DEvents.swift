import MazeCore

/// The events of the cutting simulation, as the tutorial's `CuttingEvents` and `InventoryEvents`.
enum Cutting2DEvents {
    /// The selected inventory slot holds no piece.
    static let invalidPieceSelected = EventDescriptor(topic: "CuttingEvents", name: "invalid_piece_selected")
    /// The order was cut from the selected piece.
    static let validCut = EventDescriptor(topic: "CuttingEvents", name: "valid_cut")
    /// The order does not fit the selected piece in the chosen orientation.
    static let invalidCut = EventDescriptor(topic: "CuttingEvents", name: "invalid_cut")
    /// The inventory was full and its oldest piece was thrown away.
    static let pieceDiscarded = EventDescriptor(topic: "InventoryEvents", name: "piece_discarded")
    /// A fresh raw piece was put into the inventory.
    static let pieceReplenished = EventDescriptor(topic: "InventoryEvents", name: "piece_replenished")
    /// The number of pieces in stock, reported once per step (mean and max per episode and epoch).
    static let piecesInInventory = EventDescriptor(
        topic: "InventoryEvents", name: "pieces_in_inventory",
        statistics: EventStatistics(
            step: .value(attribute: "value"),
            episode: [
                EventStatistics.Reduction(.mean, output: "step_mean"),
                EventStatistics.Reduction(.max, output: "step_max"),
            ],
            epoch: [
                EventStatistics.Reduction(.mean, input: "step_mean", output: "step_mean"),
                EventStatistics.Reduction(.max, input: "step_max", output: "step_max"),
            ]))
}
