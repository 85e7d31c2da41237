/// A rectangular piece of the 2D cutting problem: an inventory piece or an ordered one.
public struct Cutting2DPiece: Sendable, Hashable, CustomStringConvertible {
    /// The size along the first axis (cut first unless the cutting order is reversed).
    public var x: Int
    /// The size along the second axis.
    public var y: Int

    public init(_ x: Int, _ y: Int) {
        self.x = x
        self.y = y
    }

    /// The size along `axis`: 0 is x, anything else y (the inventory's cut only uses 0 and 1).
    subscript(axis: Int) -> Int {
        get { axis == 0 ? x : y }
        set { if axis == 0 { x = newValue } else { y = newValue } }
    }

    /// The same piece turned by 90°.
    public var rotated: Cutting2DPiece { Cutting2DPiece(y, x) }

    /// Whether `order` can be cut from this piece without turning it.
    public func fits(_ order: Cutting2DPiece) -> Bool { order.x <= x && order.y <= y }

    public var area: Int { x * y }

    public var description: String { "\(x)x\(y)" }
}
