import Foundation
import MazeZMQ

/// Endpoints unique to one test, since Swift Testing runs tests in parallel.
enum TestEndpoint {
    static func inproc() -> String { "inproc://maze-zmq-test-\(UUID().uuidString)" }
    static func ipc() -> String { "ipc://\(NSTemporaryDirectory())maze-zmq-\(UUID().uuidString).sock" }
    /// Loopback with a port chosen by the kernel: bind to this, then connect to `lastEndpoint`.
    static let anyLoopbackPort = "tcp://127.0.0.1:*"
}

extension ZMQSocket {
    /// Binds to `endpoint` and returns the resolved endpoint peers can connect to.
    func bindResolved(_ endpoint: String) throws -> String {
        try bind(endpoint)
        return try lastEndpoint
    }

    /// Receives one frame as text, waiting at most `timeout`.
    func receiveText(timeout: Duration = .seconds(5)) throws -> String? {
        try receive(.timeout(timeout)).map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    func send(text: String, _ flags: SendFlags = []) throws {
        try send(Array(text.utf8), flags)
    }
}

/// A PUSH socket connected to a PULL socket bound on `endpoint` (resolved first, so wildcard ports work).
func makePipeline(
    in context: ZMQContext, bindingPullTo endpoint: String = TestEndpoint.inproc()
) throws -> (push: ZMQSocket, pull: ZMQSocket) {
    let pull = try ZMQSocket(.pull, in: context)
    let resolved = try pull.bindResolved(endpoint)
    let push = try ZMQSocket(.push, in: context)
    try push.connect(resolved)
    return (push, pull)
}
