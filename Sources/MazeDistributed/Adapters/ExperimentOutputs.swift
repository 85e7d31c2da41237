import Foundation
import MazeCore
import MazeReporting
import MazeService
import Synchronization

/// What an experiment trained by the learner service leaves in its folder: the layout of `maze run`'s run
/// folders (`config.yaml`, `command.txt`, `stats/`, `tensorboard/`, `report.html`, `checkpoints/best|last`)
/// plus the console lines of every epoch (the statistics table) in `train.log`, so the same tools read both, and
/// `maze run policy=torch_policy input_dir=OUTPUTS/<id>` rolls out a service-trained model.
///
/// A resumed experiment continues its logs and keeps the `command.txt` of its first start.
///
/// Threading: called from the learner's thread; the writers are kept behind a mutex so that the session's
/// `@Sendable` log and epoch callbacks can hold it.
final class ExperimentOutputs: Sendable {
    let folder: RunFolder
    private let continuing: Bool
    /// The stats writers, opened at the first epoch (when the logs of an interrupted run can be cut back to where
    /// it resumed), and the first failure to append to `train.log`, reported with the next epoch's statistics.
    private let state = Mutex<(writers: FanOutStatsWriter?, logFailure: (any Error)?, ended: Bool)>((nil, nil, false))

    /// Opens the folder at `directory`, creating it on the experiment's first start.
    init(directory: URL, configYAML: String, commandLine: [String]) throws {
        var folder = RunFolder(root: directory)
        continuing = FileManager.default.fileExists(atPath: folder.commandFile.path)
        if !continuing { folder = try RunFolder.create(at: directory, config: configYAML, commandLine: commandLine) }
        self.folder = folder
    }

    /// Writes an epoch's statistics to every log and rebuilds the report. Epochs from `epoch` on that an earlier
    /// run logged after its last checkpoint are dropped first.
    func record(epoch: Int, stats: LogStats) throws {
        try state.withLock { state in
            if let failure = state.logFailure { throw failure }
            let writers = try state.writers ?? openWriters(resumingAt: epoch)
            state.writers = writers
            try writers.write(stats, step: epoch)
            try writers.flush()
        }
        try HTMLReport.regenerate(in: folder)
    }

    /// Appends a console line to `train.log`.
    func appendToLog(_ line: String) {
        let url = folder.root.appendingPathComponent("train.log")
        let text = Data((line + "\n").utf8)
        do {
            if let handle = try? FileHandle(forWritingTo: url) {
                defer { try? handle.close() }
                try handle.seekToEnd()
                try handle.write(contentsOf: text)
            } else {
                try text.write(to: url)
            }
        } catch {
            state.withLock { $0.logFailure = $0.logFailure ?? error }
        }
    }

    /// The line that ends the experiment's console output, once: how to roll out its best model.
    func endLine() -> String? {
        let first = state.withLock { state in
            defer { state.ended = true }
            return !state.ended
        }
        return first ? "Roll out the best model with: \(folder.rolloutCommand())" : nil
    }

    private func openWriters(resumingAt epoch: Int) throws -> FanOutStatsWriter {
        let hasLog = continuing && FileManager.default.fileExists(atPath: folder.jsonlFile.path)
        let previous = hasLog ? try ScalarLog(contentsOf: folder.jsonlFile).truncated(before: epoch) : nil
        return try folder.openStatsWriters(silent: true, continuing: previous)
    }
}
