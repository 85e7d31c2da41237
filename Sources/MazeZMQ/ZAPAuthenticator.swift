import Foundation

/// Admits CURVE clients whose public key is on an allow-list; refuses and counts everyone else.
///
/// libzmq asks the ZAP handler of a socket's context (a REP socket bound to
/// `inproc://zeromq.zap.01`, RFC 27) before accepting each CURVE handshake. This authenticator
/// runs that handler on its own thread. A context has at most one; start it before binding CURVE
/// servers, since without a handler libzmq admits every client that knows the server key.
/// Requests for other mechanisms (NULL, PLAIN) are refused. libzmq does not retry a refused
/// handshake: a client admitted later (`allow`) has to connect again.
public final class ZAPAuthenticator: Sendable {
    /// The endpoint libzmq sends authentication requests to (fixed by RFC 27).
    static let handlerEndpoint = "inproc://zeromq.zap.01"

    private let context: ZMQContext
    private let state: Locked<State>
    private let controlEndpoint = "inproc://maze.zap.control.\(UUID().uuidString)"
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var allowedKeys: Set<String>
        var admissions = 0
        var refusals = 0
        var stopped = false
    }

    /// Starts authenticating CURVE handshakes of sockets in `context` against `allowedClientKeys` (Z85 public keys).
    public init(context: ZMQContext, allowedClientKeys: Set<String>) throws {
        self.context = context
        self.state = Locked(State(allowedKeys: allowedClientKeys))
        let started = Locked<Result<Void, any Error>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [context, state, controlEndpoint, finished] in
            defer { finished.signal() }
            let sockets = Result { try Self.bindSockets(context: context, controlEndpoint: controlEndpoint) }
            started.withLock { $0 = sockets.map { _ in () } }
            ready.signal()
            if case .success(let sockets) = sockets {
                Self.serve(handler: sockets.handler, control: sockets.control, state: state)
            }
        }
        thread.name = "maze.zap"
        thread.start()
        ready.wait()
        if case .failure(let error) = started.withLock({ $0 }) {
            finished.wait()
            state.withLock { $0.stopped = true }
            throw error
        }
    }

    deinit {
        stop()
    }

    /// Handshakes admitted so far.
    public var admissions: Int { state.withLock { $0.admissions } }

    /// Handshakes refused so far (unknown key or not CURVE).
    public var refusals: Int { state.withLock { $0.refusals } }

    /// Admits `publicKey` (Z85) from the next handshake on; connections already made are unaffected.
    public func allow(_ publicKey: String) {
        state.withLock { _ = $0.allowedKeys.insert(publicKey) }
    }

    /// Stops the handler thread and waits for it; afterwards libzmq admits no CURVE handshake in the context.
    public func stop() {
        let alreadyStopped = state.withLock { state in
            defer { state.stopped = true }
            return state.stopped
        }
        guard !alreadyStopped else { return }
        // If the context was shut down, the thread is already leaving with ETERM and needs no signal.
        if let push = try? ZMQSocket(.push, in: context) {
            _ = try? push.connect(controlEndpoint)
            _ = try? push.send([UInt8]())
            push.close()
        }
        finished.wait()
    }

    private static func bindSockets(
        context: ZMQContext, controlEndpoint: String
    ) throws -> (handler: ZMQSocket, control: ZMQSocket) {
        let handler = try ZMQSocket(.rep, in: context)
        try handler.set(.linger, .zero)
        try handler.bind(handlerEndpoint)
        let control = try ZMQSocket(.pull, in: context)
        try control.bind(controlEndpoint)
        return (handler, control)
    }

    /// Answers requests until the control socket receives anything or the context is shut down.
    private static func serve(handler: ZMQSocket, control: ZMQSocket, state: Locked<State>) {
        // Closing releases an inproc endpoint only later, on libzmq's reaper thread; unbinding releases it
        // now, so that a new authenticator can start in this context as soon as `stop()` returns.
        defer { try? handler.unbind(handlerEndpoint) }
        let poller = ZMQPoller()
        do {
            try poller.register(handler)
            try poller.register(control)
            while true {
                let events = try poller.poll(timeout: nil)
                if events[1].contains(.readable) { return }
                guard events[0].contains(.readable),
                    let request = try handler.receiveMultipart(.nonBlocking)
                else { continue }
                let reply = ZAPReply(answering: request.map(\.bytes)) { mechanism, clientKey in
                    state.withLock { state in
                        let admitted = mechanism == "CURVE" && clientKey.map(state.allowedKeys.contains) == true
                        if admitted { state.admissions += 1 } else { state.refusals += 1 }
                        return admitted
                    }
                }
                try handler.sendMultipart(reply.frames)
            }
        } catch {
            // ETERM (context shut down) or a closed socket: either way the handler is done.
        }
    }
}

/// A ZAP reply (RFC 27) to one request, admitting or refusing it.
struct ZAPReply {
    let frames: [[UInt8]]

    /// Answers `request`; `admit(mechanism, clientKey)` decides, `clientKey` being the Z85 CURVE key if any.
    init(answering request: [[UInt8]], admit: (String, String?) -> Bool) {
        // Frames: version, request id, domain, address, routing id, mechanism, credentials…
        let requestID = request.count > 1 ? request[1] : []
        let wellFormed = request.count >= 6 && request[0] == Array("1.0".utf8)
        let mechanism = wellFormed ? String(decoding: request[5], as: UTF8.self) : ""
        let clientKey = request.count > 6 ? Curve.z85(ofBinaryKey: request[6]) : nil
        let admitted = wellFormed && admit(mechanism, clientKey)
        let status = admitted ? ("200", "OK") : ("400", "client not on the allow-list")
        frames = [
            Array("1.0".utf8), requestID, Array(status.0.utf8), Array(status.1.utf8),
            Array((admitted ? clientKey ?? "" : "").utf8), [],
        ]
    }
}
