import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One env-server process (`python -m maze_gym_bridge`) and the Unix stream socket this process talks to it on.
///
/// This process listens on a socket file in the temporary directory and starts the server, which connects to
/// it; only a connection from the server's own pid is accepted. Messages are frames: a 4-byte little-endian
/// length, then one msgpack map. Requests alternate strictly with replies. A plain socket rather than
/// ZeroMQ: a round trip then wakes two processes and no I/O threads, which is what decides the bridge's
/// speed on cheap envs when the servers and this process share few cores (`maze bench bridge`).
///
/// The server exits by itself when this process is gone (it watches its parent pid, and the socket closes),
/// so a `kill -9` of an actor leaves no server behind; ``kill()`` (and `deinit`) end it at once otherwise.
///
/// Threading: used by one thread at a time (its ``GymBridgeHost`` serializes access).
final class EnvServerProcess {
    /// The largest reply accepted: a server that sends more is treated as broken.
    static let maximumFrameBytes = 1 << 30

    private let process = Process()
    private let path: String
    private let env: String
    private var listener: Int32 = -1
    private var connection: Int32 = -1
    /// Request bytes queued, of which the first `outgoingWritten` are written (none until the server connects).
    private var outgoing: [UInt8] = []
    private var outgoingWritten = 0
    /// The server closed its end or the connection failed: it is exiting.
    private var disconnected = false
    /// When the server counts as hung.
    let timeout: Double

    /// Starts the server for `spec` with `spec.python` after opening the socket it connects to.
    init(spec: GymEnvSpec) throws {
        env = spec.displayName
        timeout = spec.timeout
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("maze-gym-\(getpid())-\(UUID().uuidString.prefix(8)).sock").path
        listener = try Self.listen(at: path, env: env)
        let server = ["-m", "maze_gym_bridge", "--socket", path, "--parent-pid", String(getpid())]
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
            environment["PYTHONPATH"] =
                (spec.pythonPath + [environment["PYTHONPATH"]].compactMap { $0 }).joined(separator: ":")
            process.environment = environment
        }
        do {
            try process.run()
        } catch {
            closeSockets()
            throw GymBridgeError.serverStartFailed(
                env: env, detail: "\(spec.python): \(error.localizedDescription) (set env.python or MAZE_PYTHON)")
        }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Queues one request; it is written as far as the socket takes it now, the rest while awaiting the reply.
    func send(_ request: Data) throws {
        guard request.count <= Self.maximumFrameBytes else {
            throw GymBridgeError.malformedReply(env: env, detail: "a request of \(request.count) bytes is too large")
        }
        let length = UInt32(request.count)
        outgoing += (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        outgoing += request
        flush()
    }

    /// The reply to the last request, or `nil` if the server exited before answering (it crashed or was
    /// killed). A server silent for ``timeout`` seconds is killed and reported as hung.
    func receive(request: String, timeout: Double? = nil) throws -> BridgeReply? {
        let limit = timeout ?? self.timeout
        let deadline = ContinuousClock.now + .milliseconds(Int64(limit * 1000))
        var header = [UInt8](repeating: 0, count: 4)
        guard try read(into: &header, request: request, limit: limit, deadline: deadline) else { return nil }
        let length = header.reversed().reduce(0) { $0 << 8 | Int($1) }
        guard length <= Self.maximumFrameBytes else {
            kill()
            throw GymBridgeError.malformedReply(
                env: env, detail: "a reply of \(length) bytes announced (limit \(Self.maximumFrameBytes))")
        }
        var payload = [UInt8](repeating: 0, count: length)
        guard try read(into: &payload, request: request, limit: limit, deadline: deadline) else { return nil }
        return try payload.withUnsafeBytes { try BridgeReply($0, env: env) }
    }

    /// A description of how the server ended, for errors when it dies during start-up.
    var exitDescription: String {
        process.isRunning ? "still running" : "exited with status \(process.terminationStatus)"
    }

    /// Kills the server (if it still runs), closes the sockets and removes the socket file.
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        closeSockets()
    }

    deinit { kill() }

    // MARK: Socket

    /// Fills `buffer` from the connection, writing pending request bytes meanwhile; `false` if the server
    /// exited or closed the connection first.
    private func read(
        into buffer: inout [UInt8], request: String, limit: Double, deadline: ContinuousClock.Instant
    ) throws -> Bool {
        var filled = 0
        while filled < buffer.count {
            if disconnected { return false }
            if connection < 0 {
                guard try awaitConnection(request: request, limit: limit, deadline: deadline) else { return false }
                continue
            }
            let received = buffer.withUnsafeMutableBytes {
                Glibc.recv(connection, $0.baseAddress! + filled, $0.count - filled, 0)
            }
            if received > 0 {
                filled += received
                continue
            }
            if received == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                disconnected = true
                awaitExit(until: deadline)
                return false
            }
            let writable: Int16 = outgoingWritten < outgoing.count ? Int16(POLLOUT) : 0
            let events = Int16(POLLIN) | writable
            guard try wait(connection, events: events, request: request, limit: limit, deadline: deadline) else {
                return false
            }
            flush()
        }
        return true
    }

    /// Accepts the server's connection (refusing any other process's) and writes what is queued.
    private func awaitConnection(request: String, limit: Double, deadline: ContinuousClock.Instant) throws -> Bool {
        let events = Int16(POLLIN)
        guard try wait(listener, events: events, request: request, limit: limit, deadline: deadline) else {
            return false
        }
        let accepted = accept(listener, nil, nil)
        guard accepted >= 0 else { return true }
        // `struct ucred` (pid, uid, gid) of the connecting process.
        var credentials: (pid: Int32, uid: UInt32, gid: UInt32) = (0, 0, 0)
        var size = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(accepted, SOL_SOCKET, SO_PEERCRED, &credentials, &size) == 0, credentials.pid == pid else {
            Glibc.close(accepted)
            return true
        }
        _ = fcntl(accepted, F_SETFD, FD_CLOEXEC)
        _ = fcntl(accepted, F_SETFL, fcntl(accepted, F_GETFL) | O_NONBLOCK)
        connection = accepted
        Glibc.close(listener)
        listener = -1
        unlink(path)
        flush()
        return true
    }

    /// Waits (without spinning) until `descriptor` has `events`; `false` if the server exited first. Every 50 ms
    /// it checks that the server still runs and, past `deadline`, kills it and throws.
    private func wait(
        _ descriptor: Int32, events: Int16, request: String, limit: Double, deadline: ContinuousClock.Instant
    ) throws -> Bool {
        while true {
            var item = pollfd(fd: descriptor, events: events, revents: 0)
            if Glibc.poll(&item, 1, 50) > 0 { return true }
            if !process.isRunning { return false }
            if ContinuousClock.now >= deadline {
                let pid = pid
                kill()
                throw GymBridgeError.timedOut(env: env, request: request, seconds: limit, pid: pid)
            }
        }
    }

    /// Gives a server that closed its connection until `deadline` to exit, so that its exit status is known.
    private func awaitExit(until deadline: ContinuousClock.Instant) {
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
    }

    /// Writes as much of `outgoing` as the connection takes without blocking.
    private func flush() {
        while connection >= 0, outgoingWritten < outgoing.count {
            let written = outgoing.withUnsafeBytes { bytes in
                let start = bytes.baseAddress! + outgoingWritten
                return Glibc.send(connection, start, bytes.count - outgoingWritten, Int32(MSG_NOSIGNAL))
            }
            if written > 0 {
                outgoingWritten += written
                if outgoingWritten == outgoing.count { (outgoing, outgoingWritten) = ([], 0) }
            } else {
                if written < 0, errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR { disconnected = true }
                return
            }
        }
    }

    private func closeSockets() {
        if connection >= 0 { Glibc.close(connection) }
        if listener >= 0 { Glibc.close(listener) }
        connection = -1
        listener = -1
        unlink(path)
    }

    /// A non-blocking socket listening at `path`.
    private static func listen(at path: String, env: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw GymBridgeError.serverStartFailed(
                env: env, detail: "the socket path \(path) is too long (set TMPDIR to a shorter directory)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        let descriptor = socket(AF_UNIX, type, 0)
        guard descriptor >= 0 else {
            throw GymBridgeError.serverStartFailed(env: env, detail: "socket(): \(String(cString: strerror(errno)))")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(descriptor, 1) == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw GymBridgeError.serverStartFailed(env: env, detail: "listening on \(path): \(reason)")
        }
        return descriptor
    }
}
