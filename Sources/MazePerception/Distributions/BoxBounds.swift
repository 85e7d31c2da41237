import MazeCore

/// The finite per-element bounds of a Box action, as the bounded distributions (squashed Gaussian,
/// Beta) need them to map their unit support onto the box.
struct BoxBounds: Sendable, Hashable {
    /// Lower bound per element.
    let low: [Float]
    /// Upper bound per element.
    let high: [Float]

    /// Bounds of `box`; fails for infinite or empty intervals, which no bounded distribution can cover.
    init(_ box: BoxSpace, key: String) throws {
        guard zip(box.low, box.high).allSatisfy({ $0.isFinite && $1.isFinite && $0 < $1 }) else {
            throw PerceptionError.unsupportedSpace(
                key: key, reason: "a bounded distribution needs finite bounds with low < high")
        }
        low = box.low.map { Float($0) }
        high = box.high.map { Float($0) }
    }

    /// Bounds given directly; `low` and `high` must have equal, positive lengths and `low < high`.
    init(low: [Float], high: [Float]) throws {
        guard !low.isEmpty, low.count == high.count,
            zip(low, high).allSatisfy({ $0.isFinite && $1.isFinite && $0 < $1 })
        else {
            throw PerceptionError.unsupportedSpace(
                key: "box", reason: "bounds \(low) – \(high) are not finite intervals")
        }
        self.low = low
        self.high = high
    }

    /// Number of elements.
    var count: Int { low.count }

    /// `high − low` of element `index`.
    func width(_ index: Int) -> Float { high[index] - low[index] }
    /// The midpoint of element `index`.
    func center(_ index: Int) -> Float { (low[index] + high[index]) / 2 }

    /// Maps each column of a `[batch, n]` row-major buffer through `transform(value, element)`.
    func mapColumns(_ values: [Float], _ transform: (Float, Int) -> Float) -> [Float] {
        values.enumerated().map { transform($1, $0 % count) }
    }
}
