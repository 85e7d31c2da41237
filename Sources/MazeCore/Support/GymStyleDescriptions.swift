/// Spaces, arrays and observation/action dictionaries print as Gymnasium and numpy print them
/// (`Box(-1.0, 1.0, (3,), float32)`, `Dict('a': Discrete(2))`, `{'piece_idx': 3}`), so that messages and
/// logs read as a Maze user expects instead of Swift's reflection dumps (`MazeCore.BoxSpace(low: …)`).

extension Space: CustomStringConvertible {
    public var description: String {
        switch self {
        case .discrete(let n): "Discrete(\(n))"
        case .multiDiscrete(let nvec): "MultiDiscrete(\(nvec))"
        case .multiBinary(let n): "MultiBinary(\(n))"
        case .box(let box): box.description
        }
    }
}

extension BoxSpace: CustomStringConvertible {
    /// `Box(low, high, shape, dtype)`, with single bounds when every element shares them.
    public var description: String {
        func bound(_ values: [Double]) -> String {
            if let first = values.first, values.allSatisfy({ $0 == first }) { return GymStyle.number(first) }
            return "[" + values.map(GymStyle.number).joined(separator: " ") + "]"
        }
        return "Box(\(bound(low)), \(bound(high)), \(GymStyle.shape(shape)), \(dtype.rawValue))"
    }
}

extension DictSpace: CustomStringConvertible {
    public var description: String {
        "Dict(" + map { "'\($0.key)': \($0.space)" }.joined(separator: ", ") + ")"
    }
}

extension NDArray: CustomStringConvertible {
    /// A scalar prints as its value, other arrays as nested lists in numpy's form (`[[1 2] [3 4]]`).
    public var description: String {
        let values: [String]
        switch storage {
        case .float32(let floats): values = floats.map { GymStyle.number(Double($0)) }
        case .int64(let ints): values = ints.map(String.init)
        }
        guard !shape.isEmpty else { return values.first ?? "" }
        func nested(_ dimension: Int, _ offset: Int) -> String {
            let stride = shape[(dimension + 1)...].reduce(1, *)
            let items = (0..<shape[dimension]).map { index in
                dimension == shape.count - 1 ? values[offset + index] : nested(dimension + 1, offset + index * stride)
            }
            return "[" + items.joined(separator: " ") + "]"
        }
        return values.count == shape.reduce(1, *) ? nested(0, 0) : "[" + values.joined(separator: " ") + "]"
    }
}

extension NamedArrays: CustomStringConvertible {
    /// `{'name': value, …}`, as a Python dict of numpy arrays prints.
    public var description: String {
        "{" + map { "'\($0.key)': \($0.value)" }.joined(separator: ", ") + "}"
    }
}

/// The number and shape formats shared by the descriptions above.
enum GymStyle {
    /// Python's float form: `1.0`, `-0.5`, `inf`.
    static func number(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15 { return "\(Int64(value)).0" }
        return String(value)
    }

    /// A Python tuple: `(3,)`, `(2, 3)`.
    static func shape(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }
}
