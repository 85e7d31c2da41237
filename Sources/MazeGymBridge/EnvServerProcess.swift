import Foundation
import MazeZMQ

/// One env-server process (`python -m maze_gym_bridge`) and the REQ socket this process talks to it on.
///
/// The server binds an `ipc://` endpoint in the temporary directory and exits by itself when this process is
/// gone (it watches its parent pid), so a `kill -9` of an actor leaves no server behind; ``kill()`` (and
/// `deinit`) end it at once otherwise. Requests alternate strictly with replies (REQ/REP).
///
/// Threading: used by one thread at a time (its ``GymBridgeHost`` serializes access).
final class EnvServerProcess {
    private let process = Process()
    private let socket: ZMQSocket
    private let path: String
    private let env: String
    private let reply = ZMQMessage()
    /// When the server counts as hung.
    let timeout: Double

    /// Starts the server for `spec` with `spec.python` and connects to it (the server binds when it is up).
    init(spec: GymEnvSpec, context: ZMQContext) throws {
        env = spec.displayName
        timeout = spec.timeout
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("maze-gym-\(getpid())-\(UUID().uuidString.prefix(8)).ipc").path
        let server = ["-m", "maze_gym_bridge", "--endpoint", "ipc://" + path, "--parent-pid", String(getpid())]
        if spec.python.contains("/") {
            process.executableURL = URL(fileURLWithPath: spec.python)
            process.arguments = server
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [spec.python] + server
        }
        process.standardInput = FileHandle.nullDevice
        if !spec.pythonPath.isEmpty {
            var environment = ProcessInfo.processInfo.environment
            environment["PYTHONPATH"] = (spec.pythonPath + [environment["PYTHONPATH"]].compactMap { $0 }).joined(separator: ":")
            process.environment = environment
        }
        do {
            try process.run()
        } catch {
            throw GymBridgeError.serverStartFailed(env: env, detail: "\(spec.python): \(error.localizedDescription) (set env.python or MAZE_PYTHON)")
        }
        socket = try ZMQSocket(.req, in: context)
        try socket.set(.linger, .zero)
        try socket.connect("ipc://" + path)
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Sends one request.
    func send(_ request: Data) throws {
        try socket.send(request)
    }

    /// The reply to the last request, or `nil` if the server exited before answering (it crashed or was
    /// killed). A server silent for ``timeout`` seconds is killed and reported as hung.
    func receive(request: String, timeout: Double? = nil) throws -> BridgeReply? {
        let limit = timeout ?? self.timeout
        let deadline = ContinuousClock.now + .milliseconds(Int64(limit * 1000))
        while true {
            if try socket.receive(into: reply, .timeout(.milliseconds(50))) {
                return try reply.withUnsafeBytes { try BridgeReply($0, env: env) }
            }
            if !process.isRunning { return nil }
            if ContinuousClock.now >= deadline {
                let pid = pid
                kill()
                throw GymBridgeError.timedOut(env: env, request: request, seconds: limit, pid: pid)
            }
        }
    }

    /// A description of how the server ended, for errors when it dies during start-up.
    var exitDescription: String {
        process.isRunning ? "still running" : "exited with status \(process.terminationStatus)"
    }

    /// Kills the server (if it still runs), closes the socket and removes the endpoint file.
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        socket.close()
        unlink(path)
    }

    deinit { kill() }
}
