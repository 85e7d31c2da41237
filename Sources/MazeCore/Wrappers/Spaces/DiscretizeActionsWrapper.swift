/// Turns Box action entries into Discrete (one element) or MultiDiscrete entries of `numBins` evenly
/// spaced values between `low` and `high` (Maze's DiscretizeActionsWrapper).
final class DiscretizeActionsWrapper: ActionTransformingWrapper {
    let inner: any StructuredEnv

    /// The discretization of one Box entry; bounds default to the box's own (which must be finite).
    struct Discretization: Sendable, Hashable {
        var numBins: Int
        var low: Double?
        var high: Double?
        init(numBins: Int, low: Double? = nil, high: Double? = nil) {
            self.numBins = numBins
            self.low = low
            self.high = high
        }
    }

    private struct Resolved {
        var name: String
        var numBins: Int
        var low: [Double]
        var high: [Double]
        var dtype: DType
        var shape: [Int]
    }

    private let entries: [Resolved]

    init(_ env: any StructuredEnv, discretizations: [String: Discretization]) throws(MazeError) {
        inner = env
        var entries: [Resolved] = []
        for (name, discretization) in discretizations.sorted(by: { $0.key < $1.key }) {
            guard let space = env.actionSpaces.values.compactMap({ $0[name] }).first else {
                throw .missingKey(name, available: env.actionSpaces.values.flatMap(\.keys).sorted())
            }
            guard case .box(let box) = space else { throw .invalidConfiguration("'\(name)' is not a Box action") }
            guard discretization.numBins >= 2 else {
                throw .invalidConfiguration("num_bins of '\(name)' must be at least 2")
            }
            let low = discretization.low.map { [Double](repeating: $0, count: box.low.count) } ?? box.low
            let high = discretization.high.map { [Double](repeating: $0, count: box.high.count) } ?? box.high
            guard (low + high).allSatisfy(\.isFinite) else {
                throw .invalidConfiguration("'\(name)' needs finite low/high to be discretized")
            }
            entries.append(
                Resolved(
                    name: name, numBins: discretization.numBins, low: low, high: high, dtype: box.dtype,
                    shape: box.shape))
        }
        self.entries = entries
    }

    var actionSpaces: [StepKey: DictSpace] {
        inner.actionSpaces.mapValues { space in
            DictSpace(
                space.map { name, subspace in
                    guard let entry = entries.first(where: { $0.name == name }) else { return (name, subspace) }
                    let count = entry.low.count
                    return (
                        name,
                        count == 1
                            ? .discrete(entry.numBins) : .multiDiscrete([Int](repeating: entry.numBins, count: count))
                    )
                })
        }
    }

    func transformAction(_ action: Action) throws -> Action {
        var converted = action
        for entry in entries {
            let bins = try action.require(entry.name)
            guard bins.count == entry.low.count else {
                throw MazeError.invalidValue("'\(entry.name)' has \(bins.count) elements, expected \(entry.low.count)")
            }
            let values = (0..<bins.count).map { index in
                let bin = min(max(bins.int(at: index), 0), entry.numBins - 1)
                let step = (entry.high[index] - entry.low[index]) / Double(entry.numBins - 1)
                return Float(entry.low[index] + Double(bin) * step)
            }
            converted[entry.name] = NDArray(floats: values, shape: entry.shape)
                .converted(to: entry.dtype)
        }
        return converted
    }
}
