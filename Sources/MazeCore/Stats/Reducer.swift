/// A function from a list of numbers to one number, used at each level of statistics aggregation.
public enum Reducer: String, Sendable, Hashable, CaseIterable {
    case mean, std, min, max, median, count, sum

    /// The reduced value; `nil` for an empty list (except `count` and `sum`, which give 0).
    public func reduce(_ values: [Double]) -> Double? {
        switch self {
        case .count: return Double(values.count)
        case .sum: return values.reduce(0, +)
        default: break
        }
        guard !values.isEmpty else { return nil }
        switch self {
        case .mean:
            return values.reduce(0, +) / Double(values.count)
        case .std:
            // population standard deviation, as numpy's default
            let mean = values.reduce(0, +) / Double(values.count)
            return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
        case .min:
            return values.min()
        case .max:
            return values.max()
        case .median:
            return Quantile.median(values)
        case .count, .sum:
            return nil
        }
    }
}
