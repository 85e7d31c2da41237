import MazeCore

/// Draws the cutting state as text: the order, the action taken, and the inventory slot by slot
/// (the tutorial's renderer plots the same information).
struct Cutting2DTextRenderer: Renderer {
    func render(state: Cutting2DMazeState, action: Cutting2DMazeAction?) -> String {
        var lines = ["order \(state.currentDemand) | raw piece \(state.rawPieceSize)"]
        if let action {
            lines.append(
                "cut piece \(action.pieceID)" + (action.rotate ? " rotated" : "")
                    + (action.reverseCuttingOrder ? ", y first" : ", x first"))
        }
        lines.append("inventory \(state.inventory.count)/\(state.maxPiecesInInventory):")
        for (slot, piece) in state.inventory.enumerated() {
            lines.append("  [\(slot)] \(piece)" + (piece == state.rawPieceSize ? " (raw)" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
