/// Shape arithmetic shared by tensors and operations: validation, strides, axes and broadcasting.
enum Shape {
    static func validate(_ shape: [Int]) throws(TensorError) {
        guard shape.allSatisfy({ $0 >= 0 }) else { throw .invalidShape(shape) }
    }

    /// Checks that `shape` is valid and holds exactly `count` elements.
    static func validate(_ shape: [Int], count elementCount: Int) throws(TensorError) {
        try validate(shape)
        guard Shape.count(shape) == elementCount else { throw .scalarCountMismatch(shape: shape, count: elementCount) }
    }

    static func count(_ shape: [Int]) -> Int {
        // A plain loop: `reduce(1, *)` allocates a closure context in unoptimized builds.
        var count = 1
        for dimension in shape { count *= dimension }
        return count
    }

    /// Row-major (C order) strides.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var stride = 1
        for axis in shape.indices.reversed() {
            strides[axis] = stride
            stride *= shape[axis]
        }
        return strides
    }

    /// Resolves a possibly negative axis (`-1` is the last) against `rank`.
    static func normalize(axis: Int, rank: Int) throws(TensorError) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else { throw .invalidAxis(axis: axis, rank: rank) }
        return resolved
    }

    /// Splits `shape` around `axis` into (outer, axis length, inner) so that an axis operation is
    /// a loop over `outer × inner` lines of `axis length` scalars spaced `inner` apart.
    static func split(_ shape: [Int], at axis: Int) -> (outer: Int, length: Int, inner: Int) {
        var (outer, inner) = (1, 1)
        for dimension in shape[..<axis] { outer *= dimension }
        for dimension in shape[(axis + 1)...] { inner *= dimension }
        return (outer, shape[axis], inner)
    }

    /// NumPy broadcasting: shapes are aligned at the trailing axis; each pair of dimensions must be
    /// equal or one of them 1.
    static func broadcast(_ lhs: [Int], _ rhs: [Int], operation: String) throws(TensorError) -> [Int] {
        let rank = max(lhs.count, rhs.count)
        var result = [Int](repeating: 1, count: rank)
        for position in 0..<rank {
            let left = position < rank - lhs.count ? 1 : lhs[position - (rank - lhs.count)]
            let right = position < rank - rhs.count ? 1 : rhs[position - (rank - rhs.count)]
            guard left == right || left == 1 || right == 1 else {
                throw .shapeMismatch(operation: operation, lhs, rhs)
            }
            result[position] = left == 1 ? right : left
        }
        return result
    }

    /// Strides that read `shape` as if it had been broadcast to `target` (0 along broadcast axes).
    static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(shape)
        let offset = target.count - shape.count
        return target.indices.map { axis in
            axis < offset || shape[axis - offset] == 1 ? 0 : own[axis - offset]
        }
    }
}
