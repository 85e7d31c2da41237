import Foundation
import MazeReporting
import Synchronization

/// The epoch progress bar of a training run: a new bar when an epoch starts (`completed == 0`, before
/// its first rollout, so the rate counts every update's time), finished with the epoch's last update.
///
/// Threading: `update` may be called from any thread; the bar is kept behind a mutex.
final class EpochProgress: Sendable {
    private let epochs: Int
    private let stepsPerUpdate: Int
    private let makeDisplay: @Sendable (_ title: String, _ total: Int) -> ProgressDisplay
    private let state = Mutex<(epoch: Int, display: ProgressDisplay?)>((0, nil))

    /// `epochs` is the planned number (0: until early stopping); `makeDisplay` builds each epoch's bar
    /// (standard output by default; replaceable in tests).
    init(
        epochs: Int, stepsPerUpdate: Int,
        makeDisplay: @escaping @Sendable (_ title: String, _ total: Int) -> ProgressDisplay = {
            ProgressDisplay(title: $0, total: $1)
        }
    ) {
        self.epochs = epochs
        self.stepsPerUpdate = stepsPerUpdate
        self.makeDisplay = makeDisplay
    }

    func update(completed: Int, total: Int) {
        state.withLock { state in
            if completed == 0 {
                state.epoch += 1
                let title = epochs > 0 ? "Epoch \(state.epoch)/\(epochs)" : "Epoch \(state.epoch)"
                state.display = makeDisplay(title, total * stepsPerUpdate)
                return
            }
            state.display?.update(completed: completed * stepsPerUpdate)
            if completed == total { state.display?.finish() }
        }
    }
}
