import Foundation

/// A started child process, killed and reaped when the handle goes away, so that none is left behind.
///
/// Output goes to files rather than pipes (temporary ones, or a log the caller names), so a chatty child can never
/// block on a full pipe while its parent is busy with something else. A `ProcessGroup` starts, restarts and stops
/// several of them together. The handle may be used from any thread.
public final class ChildProcess: @unchecked Sendable {
    /// Where the child's standard output and error go.
    public enum Output: Sendable {
        /// Two temporary files, readable through `waitForExit(seconds:)` and removed with the handle.
        case captured
        /// Both appended to `log`, which is created if missing and kept (`waitForExit` returns it as both).
        case log(URL)
        /// This process's own standard output and error.
        case inherited
    }

    public struct Exit: Sendable {
        public let status: Int32
        public let output: String
        public let errorOutput: String
        public var succeeded: Bool { status == 0 }
    }

    public enum Failure: Error, CustomStringConvertible {
        case timedOut(command: String, seconds: Double, output: String, errorOutput: String)

        public var description: String {
            switch self {
            case .timedOut(let command, let seconds, let output, let errorOutput):
                return
                    "\(command) did not exit within \(seconds)s (killed).\nstdout:\n\(output)\nstderr:\n\(errorOutput)"
            }
        }
    }

    private let process = Process()
    /// Where output and errors are written, `nil` when inherited.
    private let outputURL: URL?
    private let errorURL: URL?
    private let removesOutput: Bool
    public let commandLine: String

    /// Starts `executable` with `arguments`; `environment` entries are added to this process's environment.
    public init(
        executable: String, arguments: [String], environment: [String: String] = [:], output: Output = .captured
    ) throws {
        switch output {
        case .captured:
            let stem = FileManager.default.temporaryDirectory.appendingPathComponent("maze-child-\(UUID().uuidString)")
            let (output, error) = (stem.appendingPathExtension("out"), stem.appendingPathExtension("err"))
            (outputURL, errorURL, removesOutput) = (output, error, true)
            for url in [output, error] where !FileManager.default.createFile(atPath: url.path, contents: nil) {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        case .log(let log):
            (outputURL, errorURL, removesOutput) = (log, log, false)
            // A log that cannot be created makes the FileHandle below throw, naming the path.
            if !FileManager.default.fileExists(atPath: log.path) {
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            }
        case .inherited:
            (outputURL, errorURL, removesOutput) = (nil, nil, false)
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        var handles: [FileHandle] = []
        if let outputURL, let errorURL {
            let outputHandle = try FileHandle(forWritingTo: outputURL)
            outputHandle.seekToEndOfFile()
            handles = [outputHandle]
            if outputURL != errorURL { handles.append(try FileHandle(forWritingTo: errorURL)) }
            process.standardOutput = outputHandle
            process.standardError = handles.last
        }
        commandLine = ([executable] + arguments).joined(separator: " ")
        // The child has its own copies of the output descriptors once it runs. Ours are closed now: Foundation's
        // `Process` outlives this handle (it is kept until the child is reaped), and with it the file handles, so a
        // parent starting many children (a test scraping metrics every few milliseconds) ran out of descriptors.
        defer { for handle in handles { try? handle.close() } }
        try process.run()
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }
    /// The exit status, or the signal number when `exitedBySignal`; valid once the child is not running.
    public var terminationStatus: Int32 { process.terminationStatus }
    public var exitedBySignal: Bool { process.terminationReason == .uncaughtSignal }

    /// Waits for the child to exit; past `seconds` it is killed and `Failure.timedOut` is thrown.
    @discardableResult
    public func waitForExit(seconds: Double) throws -> Exit {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline {
            usleep(10_000)
        }
        if process.isRunning {
            kill()
            throw Failure.timedOut(
                command: commandLine, seconds: seconds, output: read(outputURL), errorOutput: read(errorURL))
        }
        return Exit(status: process.terminationStatus, output: read(outputURL), errorOutput: read(errorURL))
    }

    /// Sends SIGTERM to every running child of `children` (a learner checkpoints, a worker finishes its step), then
    /// SIGKILL to those still running after `grace`, and reaps them.
    static func terminate(_ children: [ChildProcess], grace: Duration) {
        let running = children.filter(\.isRunning)
        for child in running { Foundation.kill(child.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while running.contains(where: \.isRunning), ContinuousClock.now < deadline {
            usleep(10_000)
        }
        for child in running { child.kill() }
    }

    /// Sends SIGKILL and reaps the child.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        kill()
        guard removesOutput else { return }
        for url in [outputURL, errorURL].compactMap({ $0 }) { try? FileManager.default.removeItem(at: url) }
    }

    /// What the child wrote to `url` so far ("" when its output is inherited).
    private func read(_ url: URL?) -> String {
        url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
    }
}
