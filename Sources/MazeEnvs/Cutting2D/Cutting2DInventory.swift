import MazeCore

/// The stock of pieces and the guillotine cut (the tutorial's `Inventory`).
///
/// A cut first takes the order's size along one axis and then along the other; each non-empty
/// remainder goes back into stock. A full inventory throws away its oldest piece, but never the raw piece in
/// stock: the problem keeps one raw piece available at all times (every order fits it), so there is always a
/// valid cut and a masked policy always has an allowed piece. (The tutorial's inventory discards the oldest
/// piece whatever it is; with a small inventory that can be the raw one, and then no piece may fit the order.)
struct Cutting2DInventory {
    let maxPieces: Int
    let rawPieceSize: Cutting2DPiece
    private(set) var pieces: [Cutting2DPiece] = []
    private let events: EventContext

    init(maxPieces: Int, rawPieceSize: Cutting2DPiece, events: EventContext) {
        self.maxPieces = maxPieces
        self.rawPieceSize = rawPieceSize
        self.events = events
    }

    mutating func store(_ piece: Cutting2DPiece) {
        if pieces.count == maxPieces {
            let oldest = pieces.firstIndex { $0 != rawPieceSize } ?? 0
            let discarded = pieces.remove(at: oldest)
            events.record(
                Cutting2DEvents.pieceDiscarded, attributes: ["x": Double(discarded.x), "y": Double(discarded.y)])
        }
        pieces.append(piece)
    }

    mutating func replenish() {
        store(rawPieceSize)
        events.record(Cutting2DEvents.pieceReplenished)
    }

    /// Cuts `order` from the piece `action` selects; false (and no change) when it does not fit.
    mutating func cut(_ action: Cutting2DMazeAction, order: Cutting2DPiece) -> Bool {
        let ordered = action.rotate ? order.rotated : order
        guard pieces.indices.contains(action.pieceID), pieces[action.pieceID].fits(ordered) else { return false }
        var remaining = pieces.remove(at: action.pieceID)
        for axis in action.reverseCuttingOrder ? [1, 0] : [0, 1] {
            var residual = remaining
            residual[axis] = remaining[axis] - ordered[axis]
            remaining[axis] = ordered[axis]
            if residual[axis] > 0 {
                store(residual)
            }
        }
        return true
    }

    func logStepStatistics() {
        events.record(Cutting2DEvents.piecesInInventory, attributes: ["value": Double(pieces.count)])
    }
}
