import Foundation
import MazeReporting
import Synchronization
import Testing

@testable import MazeRun

/// The training progress bar measures the whole epoch: a one-update epoch of 100 steps that took two
/// seconds shows 50 steps/s (it showed hundreds of millions when the bar started after the update).
@Suite struct EpochProgressTests {
    @Test func theRateCountsTheEpochsFirstUpdate() {
        let now = Mutex(0.0)
        let printed = Mutex<[String]>([])
        let progress = EpochProgress(epochs: 1, stepsPerUpdate: 100) { title, total in
            ProgressDisplay(
                title: title, total: total, isTerminal: false, clock: { now.withLock { $0 } },
                output: { line in printed.withLock { $0.append(line) } })
        }
        progress.update(completed: 0, total: 1)
        now.withLock { $0 = 2 }
        progress.update(completed: 1, total: 1)
        let text = printed.withLock { $0.joined() }
        #expect(text.contains("Epoch 1/1"))
        #expect(text.contains("100/100 steps  50.0 steps/s"))
    }
}
