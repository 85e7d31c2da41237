/// One observation pre-processing step (Maze's PreProcessor): it maps a space and its values, and
/// names its output `<observation>-<tag>`.
public protocol PreProcessor: Sendable {
    /// The suffix of the processed entry's name (e.g. `flatten`, `one_hot`).
    var tag: String { get }
    /// The space of processed values; throws for input spaces the processor cannot handle.
    func processedSpace(_ space: Space) throws(MazeError) -> Space
    /// The processed value of `value`, which lies in `space`.
    func process(_ value: NDArray, space: Space) -> NDArray
}

/// A float box of `shape` with the same bounds for every element (`low <= high` by construction of
/// the callers, which derive them from existing spaces).
func uniformBox(_ low: Double, _ high: Double, shape: [Int]) -> Space {
    let count = shape.reduce(1, *)
    return .box(
        BoxSpace(
            unchecked: [Double](repeating: low, count: count), [Double](repeating: high, count: count), shape: shape))
}

/// The overall `[min, max]` of a space's values, for processors that only reshuffle elements.
func bounds(of space: Space) -> (Double, Double) {
    switch space {
    case .box(let box): (box.low.min() ?? -.infinity, box.high.max() ?? .infinity)
    case .discrete(let n): (0, Double(n - 1))
    case .multiDiscrete(let nvec): (0, Double((nvec.max() ?? 1) - 1))
    case .multiBinary: (0, 1)
    }
}

/// Normalizes a possibly negative dimension index against `rank`.
func resolveDimension(_ dimension: Int, rank: Int) throws(MazeError) -> Int {
    let resolved = dimension < 0 ? rank + dimension : dimension
    guard (0..<rank).contains(resolved) else {
        throw .invalidConfiguration("dimension \(dimension) is out of range for rank \(rank)")
    }
    return resolved
}
