import MazeTensor

/// Maze's flatten-and-concatenate step: reads the listed observation keys out of flat observation
/// rows (each key already flattened there) and puts them side by side, `[batch, Σ widths]`.
///
/// A key the row does not hold reads as zeros: a critic shared across sub-steps sees the union of
/// their observation keys, of which each sub-step provides only its own.
public struct FlattenConcatBlock: Sendable, Equatable, Codable {
    /// One input key: where it lies in the row, or `nil` when the row does not hold it.
    public struct Source: Sendable, Equatable, Codable {
        /// The observation key.
        public let key: String
        /// Its columns in the flat row, `nil` for zeros.
        public let columns: Range<Int>?
        /// Its width in the output.
        public let width: Int
    }

    /// The keys in output order.
    public let sources: [Source]
    /// Columns of an input row.
    public let rowWidth: Int

    /// Reads `keys` (with their widths) from rows of `layout`; keys absent from the layout read as zeros.
    public init(keys: [(key: String, width: Int)], layout: ObservationLayout) throws {
        guard !keys.isEmpty else {
            throw PerceptionError.invalidConfiguration("a network needs at least one observation key as input")
        }
        sources = try keys.map { key, width in
            let columns = layout.columns(of: key)
            if let columns, columns.count != width {
                throw PerceptionError.batchMismatch(
                    "observation '\(key)' has \(columns.count) elements here and \(width) elsewhere")
            }
            return Source(key: key, columns: columns, width: width)
        }
        rowWidth = layout.width
    }

    /// Width of the output.
    public var outputs: Int { sources.reduce(0) { $0 + $1.width } }

    /// Whether the output is the input row itself (every key, in row order, none missing).
    private var isIdentity: Bool {
        var next = 0
        for source in sources {
            guard let columns = source.columns, columns.lowerBound == next else { return false }
            next = columns.upperBound
        }
        return next == rowWidth
    }

    /// The selected columns of `rows` (`[batch, rowWidth]`) on its tape.
    public func callAsFunction(_ rows: Variable) throws -> Variable {
        try checkRows(rows.shape)
        if isIdentity { return rows }
        let batch = rows.shape[0]
        let parts = try sources.map { source throws -> Variable in
            guard let columns = source.columns else {
                return rows.tape.constant(try Tensor(repeating: 0, shape: [batch, source.width]))
            }
            return try rows.columns(columns)
        }
        return parts.count == 1 ? parts[0] : try Variable.concatenate(parts, alongAxis: 1)
    }

    /// The selected columns of `rows` without a tape.
    public func callAsFunction(_ rows: Tensor) throws -> Tensor {
        try checkRows(rows.shape)
        if isIdentity { return rows }
        let batch = rows.shape[0]
        return try Tensor.concatenatingColumns(
            sources.map { source in
                guard let columns = source.columns else {
                    return try Tensor(repeating: 0, shape: [batch, source.width])
                }
                return try rows.columns(columns)
            })
    }

    private func checkRows(_ shape: [Int]) throws {
        guard shape.count == 2, shape[1] == rowWidth else {
            throw PerceptionError.batchMismatch(
                "observations have shape \(shape), the model reads rows of \(rowWidth) columns")
        }
    }
}
