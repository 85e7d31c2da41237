import Foundation
import MazeCore
import MazeReporting
import MazeService

/// What an experiment trained by the learner service leaves in its folder: the layout of `maze run`'s run
/// folders (`config.yaml`, `command.txt`, `stats/`, `tensorboard/`, `report.html`, `checkpoints/best|last`)
/// plus each epoch's console table in `train.log`, so the same tools read both, and
/// `maze run policy=torch_policy input_dir=OUTPUTS/<id>` rolls out a service-trained model.
///
/// A resumed experiment continues its logs and keeps the `command.txt` of its first start.
final class ExperimentOutputs {
    let folder: RunFolder
    /// Opened at the first epoch, when the logs of an interrupted run can be cut back to where it resumed.
    private var writers: FanOutStatsWriter?
    private let continuing: Bool

    /// Opens the folder at `directory`, creating it on the experiment's first start.
    init(directory: URL, configYAML: String, commandLine: [String]) throws {
        var folder = RunFolder(root: directory)
        continuing = FileManager.default.fileExists(atPath: folder.commandFile.path)
        if !continuing { folder = try RunFolder.create(at: directory, config: configYAML, commandLine: commandLine) }
        self.folder = folder
    }

    /// Writes an epoch's statistics to every log, rebuilds the report and appends the console `lines` to `train.log`.
    /// Epochs from `epoch` on that an earlier run logged after its last checkpoint are dropped first.
    func record(epoch: Int, stats: LogStats, lines: [String]) throws {
        let writers = try self.writers ?? openWriters(resumingAt: epoch)
        self.writers = writers
        try writers.write(stats, step: epoch)
        try writers.flush()
        try HTMLReport.regenerate(in: folder)
        try appendToLog(lines)
    }

    private func openWriters(resumingAt epoch: Int) throws -> FanOutStatsWriter {
        let hasLog = continuing && FileManager.default.fileExists(atPath: folder.jsonlFile.path)
        let previous = hasLog ? try ScalarLog(contentsOf: folder.jsonlFile).truncated(before: epoch) : nil
        return try folder.openStatsWriters(silent: true, continuing: previous)
    }

    private func appendToLog(_ lines: [String]) throws {
        let url = folder.root.appendingPathComponent("train.log")
        let text = Data((lines.joined(separator: "\n") + "\n").utf8)
        if let handle = try? FileHandle(forWritingTo: url) {
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: text)
        } else {
            try text.write(to: url)
        }
    }
}
