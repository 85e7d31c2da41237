import MazeTensor

extension Tensor {
    /// Rows of a `[rows, width]` tensor: the leading dimension (1 for a vector).
    var rowCount: Int { rank >= 2 ? shape[0] : 1 }

    /// Columns `range` of a `[rows, width]` tensor, copied into a `[rows, range.count]` tensor.
    func columns(_ range: Range<Int>) throws -> Tensor {
        guard rank == 2, range.lowerBound >= 0, range.upperBound <= shape[1] else {
            throw PerceptionError.batchMismatch("cannot take columns \(range) of a tensor of shape \(shape)")
        }
        let rows = shape[0]
        let width = shape[1]
        if range.count == width { return self }
        var result = [Float]()
        result.reserveCapacity(rows * range.count)
        withUnsafeScalars { source in
            for row in 0..<rows {
                result.append(contentsOf: source[(row * width + range.lowerBound)..<(row * width + range.upperBound)])
            }
        }
        return try Tensor(shape: [rows, range.count], scalars: result)
    }

    /// `[rows, Σ widths]`: the parts' columns side by side (each part `[rows, width_i]`).
    static func concatenatingColumns(_ parts: [Tensor]) throws -> Tensor {
        guard let first = parts.first else { throw PerceptionError.batchMismatch("nothing to concatenate") }
        if parts.count == 1 { return first }
        let rows = first.rowCount
        guard parts.allSatisfy({ $0.rank == 2 && $0.shape[0] == rows }) else {
            throw PerceptionError.batchMismatch("cannot concatenate columns of shapes \(parts.map(\.shape))")
        }
        let width = parts.reduce(0) { $0 + $1.shape[1] }
        var result = [Float]()
        result.reserveCapacity(rows * width)
        for row in 0..<rows {
            for part in parts {
                let partWidth = part.shape[1]
                part.withUnsafeScalars { result.append(contentsOf: $0[(row * partWidth)..<((row + 1) * partWidth)]) }
            }
        }
        return try Tensor(shape: [rows, width], scalars: result)
    }
}

extension Variable {
    /// Columns `range` of a `[rows, width]` variable (itself when the range is every column).
    func columns(_ range: Range<Int>) throws -> Variable {
        if shape.count == 2, range == 0..<shape[1] { return self }
        return try slice(alongAxis: 1, range)
    }

    /// Sum over the columns of a `[rows, width]` variable, giving `[rows]`.
    func rowSums() throws -> Variable {
        try sum(alongAxis: 1)
    }
}
