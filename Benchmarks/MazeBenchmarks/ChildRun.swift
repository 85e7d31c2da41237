import Foundation

/// One `maze run …` child process, started in a fresh working directory (so its `outputs/` folder is its own) and
/// waited for: its wall time, the user and system CPU seconds of it and every process it waited for (its actors),
/// its standard output, and the run folder it wrote.
///
/// Call from one thread at a time: the CPU times are the growth of this process's `RUSAGE_CHILDREN` across the run.
struct ChildRun {
    let wallSeconds: Double
    let userSeconds: Double
    let systemSeconds: Double
    /// When the process was started, in seconds since 1970 (the clock of the stats log's `wall_time`).
    let startedAt: Double
    let output: String
    /// The folder holding the run's (or, for the service, the experiment's) `stats/stats.jsonl`.
    let statsFolder: URL

    /// Runs `maze` with `arguments` in `directory` (created; left for the caller to remove) and fails with the
    /// end of its output unless it exits 0.
    static func run(_ maze: String, _ arguments: [String], in directory: URL) throws -> ChildRun {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: maze)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let logURL = directory.appendingPathComponent("maze.log")
        // A failure here shows as the open below failing.
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        process.standardOutput = log
        process.standardError = log
        let before = childrenUsage()
        let start = BenchClock.wall.seconds
        let startedAt = Date().timeIntervalSince1970
        try process.run()
        process.waitUntilExit()
        let wall = BenchClock.wall.seconds - start
        let after = childrenUsage()
        let output = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let tail = output.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw BenchError.workloadFailed(
                "`maze \(arguments.joined(separator: " "))` exited \(process.terminationStatus):\n\(tail)")
        }
        guard let stats = Self.statsFolder(under: directory) else {
            throw BenchError.workloadFailed("`maze \(arguments.joined(separator: " "))` wrote no stats/stats.jsonl")
        }
        return ChildRun(
            wallSeconds: wall, userSeconds: after.user - before.user, systemSeconds: after.system - before.system,
            startedAt: startedAt, output: output, statsFolder: stats)
    }

    /// User and system CPU seconds of this process's terminated and waited-for descendants.
    private static func childrenUsage() -> (user: Double, system: Double) {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        let seconds = { (time: timeval) in Double(time.tv_sec) + Double(time.tv_usec) * 1e-6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }

    /// The deepest folder under `directory` with a `stats/stats.jsonl` (the experiment folder inside a local run).
    private static func statsFolder(under directory: URL) -> URL? {
        let files =
            FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.lastPathComponent == "stats.jsonl" } ?? []
        return files.max { $0.pathComponents.count < $1.pathComponents.count }?
            .deletingLastPathComponent().deletingLastPathComponent()
    }
}
