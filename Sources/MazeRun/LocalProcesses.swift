import Foundation

/// The child processes of a local run, stopped together: SIGTERM first (the learner checkpoints, workers finish
/// their step), SIGKILL for any still alive after a grace period.
struct LocalProcesses {
    private(set) var started: [Process] = []
    var gracePeriod: TimeInterval = 10

    /// Starts `executable` with `arguments`, its output appended to `log`.
    @discardableResult
    mutating func start(_ executable: String, _ arguments: [String], log: URL) throws -> Process {
        // A log that cannot be created makes the FileHandle below throw, naming the path.
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { _, new in new }
        try process.run()
        started.append(process)
        return process
    }

    /// Stops every started process and waits until each has exited.
    func stopAll() {
        for process in started where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(gracePeriod)
        while Date() < deadline, started.contains(where: \.isRunning) { Thread.sleep(forTimeInterval: 0.05) }
        for process in started where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for process in started { process.waitUntilExit() }
    }
}
