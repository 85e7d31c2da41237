import MazeCore

/// Where each observation key lies in a flat observation row (`DictSpace.flatten` order), so networks
/// can read keys out of the flat batches the vector environments and trajectory buffers hold.
public struct ObservationLayout: Sendable, Hashable, Codable {
    /// The keys in row order.
    public let keys: [String]
    /// The first column of each key.
    public let offsets: [Int]
    /// The number of columns of each key (its element count).
    public let widths: [Int]

    /// The layout of `space`'s flat rows.
    public init(_ space: DictSpace) {
        keys = space.keys
        offsets = space.flatOffsets
        widths = space.spaces.map(\.elementCount)
    }

    /// Columns of a row.
    public var width: Int { widths.reduce(0, +) }

    /// The columns of `key`, or `nil` if this layout has no such key.
    public func columns(of key: String) -> Range<Int>? {
        keys.firstIndex(of: key).map { offsets[$0]..<(offsets[$0] + widths[$0]) }
    }
}
