import Foundation

/// A progress bar for long work (an epoch's steps) with rate and ETA.
///
/// On a terminal it redraws one line in place (`\r`, at most every `redrawInterval`); otherwise
/// (stdout to a file or CI log) it prints a plain line at most every `plainInterval`, plus one at the
/// end, so logs stay short however many updates arrive.
public final class ProgressDisplay {
    private let title: String
    private let total: Int
    private let unit: String
    private let isTerminal: Bool
    private let minimumInterval: Double
    private let clock: () -> Double
    private let output: (String) -> Void
    private let startTime: Double
    private var lastShown: Double
    private var completed = 0
    private var finished = false

    /// - Parameters:
    ///   - title: what is being done, e.g. `Epoch 3/50`.
    ///   - total: the number of units (steps) the work has.
    ///   - isTerminal: whether output goes to a terminal; by default `isatty` of standard output.
    ///   - clock: monotonic seconds (replaceable in tests).
    ///   - output: receives the text exactly as it should appear; standard output by default.
    public init(
        title: String,
        total: Int,
        unit: String = "steps",
        isTerminal: Bool = isatty(STDOUT_FILENO) != 0,
        redrawInterval: Double = 0.1,
        plainInterval: Double = 10,
        clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime },
        output: @escaping (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }
    ) {
        self.title = title
        self.total = max(0, total)
        self.unit = unit
        self.isTerminal = isTerminal
        minimumInterval = isTerminal ? redrawInterval : plainInterval
        self.clock = clock
        self.output = output
        startTime = clock()
        lastShown = startTime
    }

    /// Records that `completed` units are done and shows it if the last display is old enough.
    public func update(completed: Int) {
        guard !finished else { return }
        self.completed = min(max(0, completed), total)
        let now = clock()
        guard now - lastShown >= minimumInterval else { return }
        lastShown = now
        show(now: now)
    }

    /// Shows the final state and ends the line; later updates are ignored.
    public func finish() {
        guard !finished else { return }
        finished = true
        show(now: clock())
        if isTerminal { output("\n") }
    }

    private func show(now: Double) {
        let line = render(elapsed: now - startTime)
        output(isTerminal ? "\r" + line + "\u{1B}[K" : line + "\n")
    }

    /// `Epoch 3/50 [########------------]  40% 400/1000 steps  512.3 steps/s  ETA 0:01`
    func render(elapsed: Double) -> String {
        let fraction = total == 0 ? 1 : Double(completed) / Double(total)
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        let filled = Int((fraction * 20).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled)
        let eta = rate > 0 ? Self.duration(Double(total - completed) / rate) : "?"
        return "\(title) [\(bar)] \(String(format: "%3d", Int(fraction * 100)))% \(completed)/\(total) \(unit)"
            + "  \(String(format: "%.1f", rate)) \(unit)/s  ETA \(eta)"
    }

    /// `m:ss`, or `h:mm:ss` from an hour on.
    static func duration(_ seconds: Double) -> String {
        let whole = Int(min(seconds, 359_999).rounded())
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        return hours > 0
            ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
