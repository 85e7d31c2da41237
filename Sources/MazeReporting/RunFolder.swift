import Foundation

/// The output layout of one run, as one value so every component agrees on where things go:
///
/// ```
/// <root>/config.yaml          the fully composed config
/// <root>/command.txt          the exact command line (shell-quoted), written when the run starts
/// <root>/stats/stats.csv      one row per epoch, see CSVStatsWriter
/// <root>/stats/stats.jsonl    one object per epoch, see JSONLStatsWriter
/// <root>/tensorboard/         events.out.tfevents.* files, see TensorBoardWriter
/// <root>/report.html          the HTML report, see HTMLReport
/// <root>/checkpoints/best|last  best and last model checkpoints (written by the trainers)
/// ```
public struct RunFolder: Sendable, Hashable {
    public let root: URL

    /// The layout under `root` (nothing is created; see ``create(at:config:commandLine:)``).
    public init(root: URL) {
        self.root = root
    }

    public var configFile: URL { root.appendingPathComponent("config.yaml") }
    public var commandFile: URL { root.appendingPathComponent("command.txt") }
    public var statsDirectory: URL { root.appendingPathComponent("stats", isDirectory: true) }
    public var csvFile: URL { statsDirectory.appendingPathComponent("stats.csv") }
    public var jsonlFile: URL { statsDirectory.appendingPathComponent("stats.jsonl") }
    public var tensorboardDirectory: URL { root.appendingPathComponent("tensorboard", isDirectory: true) }
    public var reportFile: URL { root.appendingPathComponent("report.html") }
    public var checkpointsDirectory: URL { root.appendingPathComponent("checkpoints", isDirectory: true) }
    /// The best model so far (weights, optimizer state, normalization statistics, config).
    public var bestCheckpointDirectory: URL { checkpointsDirectory.appendingPathComponent("best", isDirectory: true) }
    /// The newest model: written at the end of a run, or periodically by the learner service to resume from.
    public var lastCheckpointDirectory: URL { checkpointsDirectory.appendingPathComponent("last", isDirectory: true) }

    /// Creates the folders and writes `config.yaml` and `command.txt` (`commandLine` as the process
    /// received it, e.g. `CommandLine.arguments`).
    public static func create(at root: URL, config: String, commandLine: [String]) throws -> RunFolder {
        let folder = RunFolder(root: root)
        do {
            for directory in [folder.statsDirectory, folder.tensorboardDirectory, folder.checkpointsDirectory] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
            try Data(config.utf8).write(to: folder.configFile, options: .atomic)
            try Data((commandLine.map(shellQuoted).joined(separator: " ") + "\n").utf8)
                .write(to: folder.commandFile, options: .atomic)
        } catch {
            throw ReportingError.cannotWrite(path: root.path, reason: error.localizedDescription)
        }
        return folder
    }

    /// The usual writers of a run: the console table (unless `silent`), TensorBoard, CSV and JSONL.
    /// The config and command line also go to TensorBoard's TEXT tab, as Maze does. A resumed run passes
    /// the steps to keep (see ``ScalarLog``), with which the CSV and JSONL logs start again.
    public func openStatsWriters(silent: Bool = false, continuing previous: ScalarLog? = nil) throws
        -> FanOutStatsWriter
    {
        let tensorBoard = try TensorBoardWriter(logDirectory: tensorboardDirectory)
        if let config = try? String(contentsOf: configFile, encoding: .utf8) {
            try tensorBoard.writeText(config, tag: "config")
        }
        if let command = try? String(contentsOf: commandFile, encoding: .utf8) {
            try tensorBoard.writeText(command, tag: "command")
        }
        let files: [any StatsWriter] = [
            tensorBoard, try CSVStatsWriter(fileURL: csvFile, continuing: previous),
            try JSONLStatsWriter(fileURL: jsonlFile, continuing: previous),
        ]
        return FanOutStatsWriter((silent ? [] : [ConsoleStatsWriter()]) + files)
    }

    /// `argument` quoted for a POSIX shell when it contains anything but safe characters.
    static func shellQuoted(_ argument: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=:,+@%^"))
        if !argument.isEmpty, argument.unicodeScalars.allSatisfy(safe.contains) {
            return argument
        }
        return "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
