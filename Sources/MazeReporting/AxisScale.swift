import Foundation

/// A linear axis over a data range with "nice" tick values (1, 2 or 5 times a power of ten), so
/// chart labels read like a person would have chosen them.
struct AxisScale {
    let lower: Double
    let upper: Double
    let ticks: [Double]
    private let step: Double

    /// An axis covering `minimum...maximum` (finite values) with about `targetTickCount` ticks; an empty
    /// range is widened. `integral` keeps ticks on whole numbers (epochs).
    init(minimum: Double, maximum: Double, targetTickCount: Int = 5, integral: Bool = false) {
        var low = minimum
        var high = maximum
        if !(high > low) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let rawStep = (high - low) / Double(max(1, targetTickCount))
        let magnitude = pow(10, floor(log10(rawStep)))
        let candidate = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= rawStep } ?? 10 * magnitude
        let niceStep = integral ? max(1, candidate) : candidate
        // The tolerance keeps rounding noise (5e-5 / 1e-5 = 5.000000000000001) from adding a tick.
        let first = floor(low / niceStep + 1e-9) * niceStep
        let last = ceil(high / niceStep - 1e-9) * niceStep
        let count = ((last - first) / niceStep).rounded()
        step = niceStep
        lower = first
        upper = last
        // Only a range near the limits of Double gives no sensible count; then the ends suffice.
        ticks = count.isFinite && count <= 100 ? (0...Int(count)).map { first + Double($0) * niceStep } : [first, last]
    }

    /// Where `value` lies on the axis, 0 at `lower` and 1 at `upper`.
    func fraction(_ value: Double) -> Double {
        (value - lower) / (upper - lower)
    }

    /// A tick value with as many decimals as the tick spacing needs (scientific for extreme magnitudes).
    func label(_ value: Double) -> String {
        let magnitude = max(abs(lower), abs(upper))
        if magnitude >= 1e6 || (magnitude < 1e-3 && magnitude > 0) {
            return String(format: "%.1e", value)
        }
        let decimals = max(0, Int(-floor(log10(step))))
        return String(format: "%.\(decimals)f", abs(value) < step / 2 ? 0 : value)
    }
}
