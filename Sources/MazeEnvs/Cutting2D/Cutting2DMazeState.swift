/// What the cutting simulation looks like between steps: the inventory, its capacity, the piece
/// ordered for the next step and the size of a raw piece.
public struct Cutting2DMazeState: Sendable, Hashable {
    /// The pieces in stock, oldest first.
    public var inventory: [Cutting2DPiece]
    public var maxPiecesInInventory: Int
    /// The piece the customer orders in the next step.
    public var currentDemand: Cutting2DPiece
    public var rawPieceSize: Cutting2DPiece
}

/// One cutting decision: which inventory piece, whether to turn the order by 90°, and whether to cut
/// along the second axis first.
public struct Cutting2DMazeAction: Sendable, Hashable {
    public var pieceID: Int
    public var rotate: Bool
    public var reverseCuttingOrder: Bool

    public init(pieceID: Int, rotate: Bool, reverseCuttingOrder: Bool) {
        self.pieceID = pieceID
        self.rotate = rotate
        self.reverseCuttingOrder = reverseCuttingOrder
    }
}
