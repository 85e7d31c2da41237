/// An ordered collection of named arrays: Maze's observation and action dictionaries.
///
/// Entries keep insertion order (spaces define the order) and lookups are linear, which is faster
/// than hashing for the handful of keys an observation has.
public struct NamedArrays: Sendable, Hashable, ExpressibleByDictionaryLiteral, RandomAccessCollection {
    private var table: OrderedTable<NDArray>

    /// The entry names, in order.
    public var keys: [String] { table.keys }
    /// The entry values, in key order.
    public var values: [NDArray] { table.values }

    /// An empty collection.
    public init() { table = OrderedTable([]) }

    public init(dictionaryLiteral elements: (String, NDArray)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }

    /// Entries in the given order.
    public init(_ entries: [(String, NDArray)]) { table = OrderedTable(entries) }

    public var startIndex: Int { 0 }
    public var endIndex: Int { table.keys.count }
    public subscript(position: Int) -> (key: String, value: NDArray) { (table.keys[position], table.values[position]) }

    /// The array named `key`; assigning `nil` removes it, assigning a new key appends it.
    public subscript(key: String) -> NDArray? {
        get { table[key] }
        set { table[key] = newValue }
    }

    /// The array named `key`, or a ``MazeError/missingKey(_:available:)`` error naming what exists.
    public func require(_ key: String) throws(MazeError) -> NDArray {
        guard let value = table[key] else { throw .missingKey(key, available: keys) }
        return value
    }

    /// Mutates the array at `index` in place (no copy when uniquely referenced).
    public mutating func modifyValue(at index: Int, _ body: (inout NDArray) -> Void) {
        table.modifyValue(at: index, body)
    }
}
