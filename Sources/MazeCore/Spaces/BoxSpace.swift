import Foundation

/// A box `[low, high]` per element with a shape and element type (Gym's `Box`); bounds may be infinite.
public struct BoxSpace: Sendable, Hashable {
    /// Lower bound per element, C order.
    public let low: [Double]
    /// Upper bound per element, C order.
    public let high: [Double]
    /// The shape of a value.
    public let shape: [Int]
    /// The element type of a value.
    public let dtype: DType

    /// A box with per-element bounds; `low` and `high` must have `shape`'s element count.
    public init(low: [Double], high: [Double], shape: [Int]? = nil, dtype: DType = .float32) throws(MazeError) {
        let shape = shape ?? [low.count]
        let count = shape.reduce(1, *)
        guard low.count == count, high.count == count else {
            throw .invalidValue("Box bounds have \(low.count)/\(high.count) elements, shape \(shape) needs \(count)")
        }
        guard zip(low, high).allSatisfy({ $0 <= $1 }) else {
            throw .invalidValue("Box lower bound exceeds upper bound")
        }
        self.low = low
        self.high = high
        self.shape = shape
        self.dtype = dtype
    }

    /// A box whose bounds the caller already validated (same counts, `low <= high`).
    init(unchecked low: [Double], _ high: [Double], shape: [Int], dtype: DType = .float32) {
        self.low = low
        self.high = high
        self.shape = shape
        self.dtype = dtype
    }

    /// A box with the same bounds for every element.
    public init(low: Double, high: Double, shape: [Int], dtype: DType = .float32) throws(MazeError) {
        let count = shape.reduce(1, *)
        try self.init(
            low: [Double](repeating: low, count: count), high: [Double](repeating: high, count: count),
            shape: shape, dtype: dtype)
    }

    func sample(using random: inout MazeRandom) -> NDArray {
        var values = [Double](repeating: 0, count: low.count)
        for index in values.indices {
            let (lo, hi) = (low[index], high[index])
            switch (lo.isFinite, hi.isFinite) {
            case (true, true):
                values[index] =
                    dtype == .int64
                    ? Double(Int(lo) + random.nextInt(below: Int(hi - lo) + 1)) : random.nextUniform(lo, hi)
            case (true, false): values[index] = lo - log(1 - random.nextUnit())
            case (false, true): values[index] = hi + log(1 - random.nextUnit())
            case (false, false): values[index] = random.nextNormal()
            }
        }
        switch dtype {
        case .float32: return NDArray(floats: values.map { Float($0) }, shape: shape)
        case .int64: return NDArray(ints: values.map { Int($0.rounded(.down)) }, shape: shape)
        }
    }

    func contains(_ value: NDArray) -> Bool {
        guard value.count == low.count else { return false }
        return (0..<low.count).allSatisfy { index in
            let element = Double(value.float(at: index))
            return element >= Double(Float(low[index])) && element <= Double(Float(high[index]))
        }
    }
}
