import Foundation
import MazeCore

/// The figures of one benchmark run, in the order they were measured, printed as a table or as JSON.
///
/// Ratios are recorded as figures whose key ends in `_ratio`, so that `--json` consumers can pick
/// them out without knowing each benchmark.
struct BenchmarkReport {
    struct Figure {
        let key: String
        let label: String
        let value: Double
        let unit: String
        /// For ratios: the value the project aims for (printed, never asserted here).
        let target: Double?
    }

    let title: String
    private(set) var figures: [Figure] = []

    init(title: String) {
        self.title = title
    }

    /// Records a measured figure, e.g. `add("decode_mb_per_s", 812, unit: "MB/s", label: "msgpack decode")`.
    mutating func add(_ key: String, _ value: Double, unit: String, label: String) {
        figures.append(Figure(key: key, label: label, value: value, unit: unit, target: nil))
    }

    /// Records `value / baseline` under `key + "_ratio"`; a zero baseline gives NaN rather than a crash.
    mutating func addRatio(_ key: String, _ value: Double, over baseline: Double, label: String, target: Double? = nil)
    {
        let ratio = baseline > 0 ? value / baseline : .nan
        figures.append(Figure(key: key + "_ratio", label: label, value: ratio, unit: "x", target: target))
    }

    /// Records the median of `ratios` (each measured against its own baseline, e.g. within one repeat) under
    /// `key + "_ratio"`.
    mutating func addMedianRatio(_ key: String, of ratios: [Double], label: String, target: Double? = nil) {
        figures.append(Figure(key: key + "_ratio", label: label, value: median(ratios), unit: "x", target: target))
    }

    func render(json: Bool) -> String {
        json ? renderJSON() : renderTable()
    }

    private func renderTable() -> String {
        let width = max(24, figures.map(\.label.count).max() ?? 0)
        var lines = [title, String(repeating: "=", count: width + 32)]
        for figure in figures {
            var line = figure.label.padding(toLength: width, withPad: " ", startingAt: 0)
            line += " " + Self.format(figure.value).leftPadded(to: 16) + " " + figure.unit
            if let target = figure.target {
                let verdict = figure.value >= target ? "meets" : "BELOW"
                line += "   (target ≥ \(Self.format(target))x: \(verdict))"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private func renderJSON() -> String {
        let body = figures.map { figure -> String in
            let value = figure.value.isFinite ? Self.format(figure.value, decimals: 6) : "null"
            return "\"\(figure.key)\": \(value)"
        }
        return "{\"benchmark\": \"\(title)\", " + body.joined(separator: ", ") + "}"
    }

    private static func format(_ value: Double, decimals: Int = 3) -> String {
        guard value.isFinite else { return "nan" }
        return String(format: "%.\(decimals)f", value)
    }
}

/// What a rate is measured against: wall-clock time, or the CPU time of the measuring thread, which other
/// processes on a shared machine cannot inflate (a baseline for a ratio measured against CPU time elsewhere).
enum BenchClock {
    case wall
    case threadCPU

    /// Seconds since an arbitrary origin fixed for the process (`wall`) or the calling thread (`threadCPU`).
    var seconds: Double {
        var time = timespec()
        clock_gettime(self == .wall ? CLOCK_MONOTONIC : CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

/// Repeats `work` until `seconds` have passed on `clock`, `repeats` times, and returns the median rate in units
/// per second of that clock.
///
/// `work` performs one batch and returns how many units (bytes, steps, samples) it processed.
func medianRate(seconds: Double, repeats: Int, clock: BenchClock = .wall, _ work: () throws -> Int) rethrows -> Double {
    var rates: [Double] = []
    for _ in 0..<repeats {
        let start = clock.seconds
        var units = 0
        var elapsed = 0.0
        repeat {
            units += try work()
            elapsed = clock.seconds - start
        } while elapsed < seconds
        rates.append(Double(units) / elapsed)
    }
    return median(rates)
}

/// The median of measured figures; NaN (printed as such) when there are none.
func median(_ figures: [Double]) -> Double {
    Quantile.median(figures) ?? .nan
}

/// The median rates of `baseline` and `candidate`, each measured `options.repeats` times in alternation so that
/// load from other processes on a shared machine affects both alike.
func interleavedMedianRates(
    options: BenchOptions, clock: BenchClock = .wall, _ baseline: () throws -> Int, _ candidate: () throws -> Int
) throws -> (baseline: Double, candidate: Double) {
    var baselineRates: [Double] = []
    var candidateRates: [Double] = []
    for _ in 0..<options.repeats {
        baselineRates.append(try medianRate(seconds: options.seconds, repeats: 1, clock: clock, baseline))
        candidateRates.append(try medianRate(seconds: options.seconds, repeats: 1, clock: clock, candidate))
    }
    return (median(baselineRates), median(candidateRates))
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// Prints a progress line of a long benchmark to standard error, so that standard output stays the report.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
