/// An ordered collection of named arrays: Maze's observation and action dictionaries.
///
/// Entries keep insertion order (spaces define the order) and lookups are linear, which is faster
/// than hashing for the handful of keys an observation has.
public struct NamedArrays: Sendable, Hashable, ExpressibleByDictionaryLiteral, RandomAccessCollection {
    public private(set) var keys: [String]
    public private(set) var values: [NDArray]

    /// An empty collection.
    public init() {
        keys = []
        values = []
    }

    public init(dictionaryLiteral elements: (String, NDArray)...) {
        self.init()
        for (key, value) in elements { self[key] = value }
    }

    /// Entries in the given order.
    public init(_ entries: [(String, NDArray)]) {
        keys = entries.map(\.0)
        values = entries.map(\.1)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { keys.count }
    public subscript(position: Int) -> (key: String, value: NDArray) { (keys[position], values[position]) }

    /// The array named `key`; assigning `nil` removes it, assigning a new key appends it.
    public subscript(key: String) -> NDArray? {
        get { keys.firstIndex(of: key).map { values[$0] } }
        set {
            if let index = keys.firstIndex(of: key) {
                if let newValue {
                    values[index] = newValue
                } else {
                    keys.remove(at: index)
                    values.remove(at: index)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// The array named `key`, or a ``MazeError/missingKey(_:available:)`` error naming what exists.
    public func require(_ key: String) throws(MazeError) -> NDArray {
        guard let index = keys.firstIndex(of: key) else { throw .missingKey(key, available: keys) }
        return values[index]
    }

    /// Mutates the array at `index` in place (no copy when uniquely referenced).
    public mutating func modifyValue(at index: Int, _ body: (inout NDArray) -> Void) {
        body(&values[index])
    }
}
