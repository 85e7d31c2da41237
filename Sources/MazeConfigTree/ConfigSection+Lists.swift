/// Reads of lists of scalars (`raw_piece_size: [100, 100]`, `dim_order: [2, 0, 1]`), each element checked with
/// its index in the error path (`wrappers.X.dim_order.1: expected an integer, got "a"`).
extension ConfigSection {
    /// This list's elements as integers.
    public func ints() throws -> [Int] { try elements().map { try $0.int() } }

    /// This list's elements as numbers (integers widen).
    public func doubles() throws -> [Double] { try elements().map { try $0.double() } }

    /// This list's elements as strings.
    public func strings() throws -> [String] { try elements().map { try $0.string() } }

    /// The list of integers at `key`.
    public func ints(_ key: String) throws -> [Int] { try section(key).ints() }

    /// The list of numbers at `key`.
    public func doubles(_ key: String) throws -> [Double] { try section(key).doubles() }
}

extension ConfigSection {
    /// This map section's entries by key, each a section with its full path (for settings keyed by observation
    /// or action name, such as `split_config` or `manual_config`).
    public func entriesByKey() throws -> [String: ConfigSection] {
        Dictionary(try entries().map { ($0.path.last ?? "", $0) }, uniquingKeysWith: { _, last in last })
    }
}
