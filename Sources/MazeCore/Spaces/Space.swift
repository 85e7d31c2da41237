/// A leaf space (Gym's Discrete, MultiDiscrete, MultiBinary and Box): the set of values one observation
/// or action entry may take.
public enum Space: Sendable, Hashable {
    /// Integers `0..<n`, a scalar.
    case discrete(Int)
    /// A vector of integers, entry `i` in `0..<nvec[i]`.
    case multiDiscrete([Int])
    /// A vector of `n` zeros and ones.
    case multiBinary(Int)
    /// A box of per-element bounds.
    case box(BoxSpace)

    /// The shape of a value of this space.
    public var shape: [Int] {
        switch self {
        case .discrete: []
        case .multiDiscrete(let nvec): [nvec.count]
        case .multiBinary(let n): [n]
        case .box(let box): box.shape
        }
    }

    /// The element type of a value of this space.
    public var dtype: DType {
        if case .box(let box) = self { return box.dtype }
        return .int64
    }

    /// The number of elements of a value (1 for Discrete): its width in a flat batch buffer.
    public var elementCount: Int { shape.reduce(1, *) }

    /// A uniformly drawn value (Box: uniform when bounded on both sides, normal/exponential otherwise,
    /// as Gym does).
    public func sample(using random: inout MazeRandom) -> NDArray {
        switch self {
        case .discrete(let n):
            return .scalar(random.nextInt(below: n))
        case .multiDiscrete(let nvec):
            return NDArray(ints: nvec.map { random.nextInt(below: $0) })
        case .multiBinary(let n):
            return NDArray(ints: (0..<n).map { _ in random.nextInt(below: 2) })
        case .box(let box):
            return box.sample(using: &random)
        }
    }

    /// Whether `value` has this space's shape and lies within its bounds.
    public func contains(_ value: NDArray) -> Bool {
        guard value.shape == shape, value.count == elementCount else { return false }
        switch self {
        case .discrete(let n):
            return value.dtype == .int64 && (0..<n).contains(value.int(at: 0))
        case .multiDiscrete(let nvec):
            guard value.dtype == .int64 else { return false }
            return nvec.indices.allSatisfy { (0..<nvec[$0]).contains(value.int(at: $0)) }
        case .multiBinary:
            return value.dtype == .int64 && value.ints.allSatisfy { $0 == 0 || $0 == 1 }
        case .box(let box):
            return box.contains(value)
        }
    }

    /// A zero value of this space's shape and type (Box zeros are clipped into the bounds).
    public var zeroValue: NDArray {
        if case .box(let box) = self {
            return NDArray(floats: box.low.indices.map { Float(min(max(0, box.low[$0]), box.high[$0])) }, shape: shape)
                .converted(to: box.dtype)
        }
        return NDArray(zeros: .int64, shape: shape)
    }
}

extension NDArray {
    /// The same values with element type `dtype` (floats truncate toward negative infinity).
    public func converted(to dtype: DType) -> NDArray {
        switch (storage, dtype) {
        case (.float32(let values), .int64): NDArray(ints: values.map { Int($0.rounded(.down)) }, shape: shape)
        case (.int64(let values), .float32): NDArray(floats: values.map(Float.init), shape: shape)
        default: self
        }
    }
}
