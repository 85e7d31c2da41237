/// Values under string keys in insertion order, with linear lookup: the storage of ``NamedArrays``
/// and ``DictSpace``, which hold a handful of entries where hashing would cost more than scanning.
struct OrderedTable<Value> {
    private(set) var keys: [String]
    private(set) var values: [Value]

    init(_ entries: [(String, Value)]) {
        keys = entries.map(\.0)
        values = entries.map(\.1)
    }

    /// The value under `key`; assigning `nil` removes it, assigning under a new key appends it.
    subscript(key: String) -> Value? {
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

    mutating func modifyValue(at index: Int, _ body: (inout Value) -> Void) { body(&values[index]) }
}

extension OrderedTable: Sendable where Value: Sendable {}
extension OrderedTable: Equatable where Value: Equatable {}
extension OrderedTable: Hashable where Value: Hashable {}
