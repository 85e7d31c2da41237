/// An ordered dictionary of named leaf spaces (Gym's `Dict`): every Maze observation and action space.
public struct DictSpace: Sendable, Hashable, ExpressibleByDictionaryLiteral, RandomAccessCollection {
    private var table: OrderedTable<Space>

    /// The entry names, in order.
    public var keys: [String] { table.keys }
    /// The sub-spaces, in key order.
    public var spaces: [Space] { table.values }

    public init(dictionaryLiteral elements: (String, Space)...) { table = OrderedTable(elements) }

    /// Entries in the given order.
    public init(_ entries: [(String, Space)]) { table = OrderedTable(entries) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { table.keys.count }
    public subscript(position: Int) -> (key: String, space: Space) { (table.keys[position], table.values[position]) }

    /// The sub-space named `key`; assigning `nil` removes it, a new key is appended.
    public subscript(key: String) -> Space? {
        get { table[key] }
        set { table[key] = newValue }
    }

    /// The sub-space named `key` or an error naming the available keys.
    public func require(_ key: String) throws(MazeError) -> Space {
        guard let space = self[key] else { throw .missingKey(key, available: keys) }
        return space
    }

    /// A value drawn from every sub-space in key order.
    public func sample(using random: inout MazeRandom) -> NamedArrays {
        NamedArrays(zip(keys, spaces).map { ($0, $1.sample(using: &random)) })
    }

    /// Whether `value` has exactly these keys and each entry lies in its sub-space.
    public func contains(_ value: NamedArrays) -> Bool {
        guard value.count == keys.count else { return false }
        return zip(keys, spaces).allSatisfy { key, space in value[key].map(space.contains) ?? false }
    }

    /// The total element count: the width of one row of a flat batch buffer.
    public var flatCount: Int { spaces.reduce(0) { $0 + $1.elementCount } }

    /// The element offset of each entry within a flat row, in key order.
    public var flatOffsets: [Int] {
        var offsets: [Int] = []
        var offset = 0
        for space in spaces {
            offsets.append(offset)
            offset += space.elementCount
        }
        return offsets
    }

    /// A zero value for every entry, in key order.
    public var zeroValue: NamedArrays { NamedArrays(zip(keys, spaces).map { ($0, $1.zeroValue) }) }

    /// Concatenates the entries (in this space's key order, converted to `Float`) into `destination`.
    public func flatten(_ value: NamedArrays, into destination: UnsafeMutableBufferPointer<Float>) throws(MazeError) {
        var offset = 0
        for (key, space) in zip(keys, spaces) {
            let array = try value.require(key)
            guard array.count == space.elementCount else {
                throw .invalidValue("'\(key)' has \(array.count) elements, its space needs \(space.elementCount)")
            }
            array.write(to: UnsafeMutableBufferPointer(rebasing: destination[offset..<offset + array.count]))
            offset += array.count
        }
    }

    /// The entries concatenated into one `[Float]` row.
    public func flatten(_ value: NamedArrays) throws(MazeError) -> [Float] {
        var row = [Float](repeating: 0, count: flatCount)
        try row.withUnsafeMutableBufferPointer { buffer throws(MazeError) in try flatten(value, into: buffer) }
        return row
    }

    /// Splits a flat row back into named arrays of this space's shapes and types.
    public func unflatten(_ row: UnsafeBufferPointer<Float>) -> NamedArrays {
        var value = zeroValue
        unflatten(row, into: &value)
        return value
    }

    /// ``unflatten(_:)`` after ``checkFlatRow(_:)`` (rows can come from callers or the network).
    func unflattenChecked(_ row: UnsafeBufferPointer<Float>) throws(MazeError) -> NamedArrays {
        try checkFlatRow(row)
        return unflatten(row)
    }

    /// Throws unless `row` has ``flatCount`` values and those of integer entries convert to `Int`
    /// (unflattening would trap on a NaN or an out-of-range value).
    func checkFlatRow(_ row: UnsafeBufferPointer<Float>) throws(MazeError) {
        guard row.count == flatCount else {
            throw .invalidValue("a flat action row has \(row.count) values, the action space needs \(flatCount)")
        }
        var offset = 0
        for (key, space) in zip(keys, spaces) {
            let end = offset + space.elementCount
            if space.dtype == .int64, let bad = row[offset..<end].first(where: { !$0.isFinite || abs($0) >= 0x1p62 }) {
                throw .invalidValue("'\(key)' must hold finite integer values, got \(bad)")
            }
            offset = end
        }
    }

    /// Overwrites `value` (which must have this space's layout, e.g. from ``zeroValue``) from a flat
    /// row, in place: the allocation-free path the vector environments use for actions.
    public func unflatten(_ row: UnsafeBufferPointer<Float>, into value: inout NamedArrays) {
        var offset = 0
        for index in spaces.indices {
            let count = spaces[index].elementCount
            value.modifyValue(at: index) {
                $0.assign(from: UnsafeBufferPointer(rebasing: row[offset..<offset + count]))
            }
            offset += count
        }
    }
}
