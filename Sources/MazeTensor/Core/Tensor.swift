/// An n-dimensional, contiguous (row-major) array of `Float` with value semantics.
///
/// Copies share storage until one of them is written (copy-on-write through `Array`), so passing
/// tensors around is cheap and no copy is ever observed by another owner.
public struct Tensor: Sendable, Equatable, Hashable, Codable {
    /// Dimensions, outermost first; `[]` is a scalar.
    public private(set) var shape: [Int]
    /// The elements in row-major order; always `shape.reduce(1, *)` of them.
    public private(set) var scalars: [Float]

    /// Creates a tensor from row-major `scalars`; throws unless their count matches `shape`.
    public init(shape: [Int], scalars: [Float]) throws(TensorError) {
        try Shape.validate(shape, count: scalars.count)
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of `shape` filled with `value`.
    public init(repeating value: Float, shape: [Int]) throws(TensorError) {
        try Shape.validate(shape)
        self.shape = shape
        self.scalars = [Float](repeating: value, count: Shape.count(shape))
    }

    /// A rank-0 tensor.
    public init(_ scalar: Float) {
        shape = []
        scalars = [scalar]
    }

    /// A rank-1 tensor.
    public init(_ vector: [Float]) {
        shape = [vector.count]
        scalars = vector
    }

    /// For operations that have already checked the shape.
    init(uncheckedShape shape: [Int], scalars: [Float]) {
        self.shape = shape
        self.scalars = scalars
    }

    /// Number of axes.
    public var rank: Int { shape.count }
    /// Number of elements.
    public var scalarCount: Int { scalars.count }

    /// The only element of a tensor with one element (any rank).
    public var scalar: Float? { scalars.count == 1 ? scalars[0] : nil }

    /// Element at a full multi-index; throws if the index does not address an element.
    public func element(at index: [Int]) throws(TensorError) -> Float {
        guard index.count == rank else {
            throw .invalidArgument("index \(index) has \(index.count) components for a rank-\(rank) tensor")
        }
        var offset = 0
        for (axis, (position, stride)) in zip(index, Shape.strides(shape)).enumerated() {
            guard position >= 0, position < shape[axis] else {
                throw .invalidArgument("index \(index) is out of bounds for shape \(shape)")
            }
            offset += position * stride
        }
        return scalars[offset]
    }

    /// The same scalars seen with another shape of equal element count; `-1` in one place is inferred.
    public func reshaped(to newShape: [Int]) throws(TensorError) -> Tensor {
        let resolved = try Shape.resolveReshape(newShape, count: scalarCount, from: shape)
        return Tensor(uncheckedShape: resolved, scalars: scalars)
    }

    /// Mutable access to the scalars without giving up shape invariants.
    public mutating func withUnsafeMutableScalars<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Read-only access to the scalars.
    public func withUnsafeScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }
}

extension Tensor {
    private enum CodingKeys: String, CodingKey { case shape, scalars }

    /// Decoded tensors are validated like constructed ones: the data may come from a file or the network.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            shape: container.decode([Int].self, forKey: .shape),
            scalars: container.decode([Float].self, forKey: .scalars))
    }
}

extension Shape {
    static func resolveReshape(_ shape: [Int], count: Int, from original: [Int]) throws(TensorError) -> [Int] {
        // One pass without intermediate arrays: a learner reshapes on every pass.
        var inferred: Int?
        var known = 1
        for (axis, dimension) in shape.enumerated() {
            guard dimension >= -1 else { throw .invalidShape(shape) }
            if dimension == -1 {
                guard inferred == nil else { throw .invalidShape(shape) }
                inferred = axis
            } else {
                known *= dimension
            }
        }
        var resolved = shape
        if let axis = inferred {
            guard known > 0, count % known == 0 else { throw .shapeMismatch(operation: "reshape", original, shape) }
            resolved[axis] = count / known
        }
        guard Shape.count(resolved) == count else { throw .shapeMismatch(operation: "reshape", original, shape) }
        return resolved
    }
}
