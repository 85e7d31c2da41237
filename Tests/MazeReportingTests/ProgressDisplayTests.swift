import MazeReporting
import Testing

@Suite("Progress display")
struct ProgressDisplayTests {
    /// A clock the test advances by hand.
    final class ManualClock: @unchecked Sendable {
        var now = 0.0
        func read() -> Double { now }
    }

    /// Drives a display through `total` updates, one every `secondsPerStep` of a manual clock, then
    /// finishes it (and updates once more, which must be ignored); returns what it printed.
    static func run(title: String, total: Int, secondsPerStep: Double, isTerminal: Bool, interval: Double)
        -> CapturedOutput
    {
        let clock = ManualClock()
        let output = CapturedOutput()
        let progress = ProgressDisplay(
            title: title, total: total, isTerminal: isTerminal, redrawInterval: interval,
            plainInterval: interval, clock: clock.read, output: output.append)
        for step in 1...total {
            clock.now = Double(step) * secondsPerStep
            progress.update(completed: step)
        }
        progress.finish()
        progress.update(completed: total)
        return output
    }

    @Test("without a terminal: plain lines at most every plainInterval, plus the final one")
    func plainLines() {
        // 100 steps/s for 100 s
        let output = Self.run(title: "Epoch 1/5", total: 10_000, secondsPerStep: 0.01, isTerminal: false, interval: 10)
        #expect(output.chunks.count == 11)
        #expect(output.chunks.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") && !$0.contains("\u{1B}") })
        #expect(
            output.chunks.first == "Epoch 1/5 [##------------------]  10% 1000/10000 steps  100.0 steps/s  ETA 1:30\n")
        #expect(
            output.chunks.last == "Epoch 1/5 [####################] 100% 10000/10000 steps  100.0 steps/s  ETA 0:00\n")
    }

    @Test("on a terminal: one line redrawn in place, ended by a newline when finished")
    func terminalRedraw() {
        // Steps of 1/16 s are exact in binary, so every second step is due for a redraw.
        let output = Self.run(title: "Epoch 2/5", total: 100, secondsPerStep: 0.0625, isTerminal: true, interval: 0.125)
        #expect(output.chunks.count == 50 + 1 + 1)
        #expect(output.chunks.dropLast().allSatisfy { $0.hasPrefix("\rEpoch 2/5 [") && $0.hasSuffix("\u{1B}[K") })
        #expect(output.chunks.last == "\n")
        #expect(!output.text.dropLast().contains("\n"))
    }

    @Test("ETA is shown as m:ss, or h:mm:ss from an hour on")
    func etaFormat() {
        let clock = ManualClock()
        let output = CapturedOutput()
        let progress = ProgressDisplay(
            title: "Work", total: 7200, unit: "steps", isTerminal: false, plainInterval: 1,
            clock: clock.read, output: output.append)
        clock.now = 1
        progress.update(completed: 1)
        #expect(output.text.hasSuffix("1.0 steps/s  ETA 1:59:59\n"))
    }
}
