import Foundation

/// A process started by a test, terminated when the handle goes away so that no test leaves one behind.
///
/// Output goes to temporary files rather than pipes, so a chatty child can never block on a full pipe
/// while the test is busy with something else.
public final class ChildProcess: @unchecked Sendable {
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
            case let .timedOut(command, seconds, output, errorOutput):
                return "\(command) did not exit within \(seconds)s (killed).\nstdout:\n\(output)\nstderr:\n\(errorOutput)"
            }
        }
    }

    private let process = Process()
    private let outputURL: URL
    private let errorURL: URL
    public let commandLine: String

    /// Starts `executable` with `arguments`; `environment` entries are added to this process's environment.
    public init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        let directory = FileManager.default.temporaryDirectory
        let stem = "maze-child-\(UUID().uuidString)"
        outputURL = directory.appendingPathComponent(stem + ".out")
        errorURL = directory.appendingPathComponent(stem + ".err")
        for url in [outputURL, errorURL] where !FileManager.default.createFile(atPath: url.path, contents: nil) {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        commandLine = ([executable] + arguments).joined(separator: " ")
        try process.run()
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Waits for the child to exit; past `seconds` it is killed and `Failure.timedOut` is thrown.
    @discardableResult
    public func waitForExit(seconds: Double) throws -> Exit {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline {
            usleep(10_000)
        }
        if process.isRunning {
            kill()
            throw Failure.timedOut(command: commandLine, seconds: seconds, output: read(outputURL), errorOutput: read(errorURL))
        }
        return Exit(status: process.terminationStatus, output: read(outputURL), errorOutput: read(errorURL))
    }

    /// Sends SIGKILL and reaps the child.
    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        kill()
        try? FileManager.default.removeItem(at: outputURL)
        try? FileManager.default.removeItem(at: errorURL)
    }

    private func read(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}
