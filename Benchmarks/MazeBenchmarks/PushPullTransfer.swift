import Foundation
import MazeBaselines
import MazeZMQ

/// PUSH→PULL transfers over loopback TCP, shared by `maze bench transport` and `maze bench cluster`: the C
/// baseline (`maze_transport_push_pull`) and the same transfer through MazeZMQ with caller-made messages.
///
/// Both sides run the same transfer: a fresh context, the PULL bound on `tcp://127.0.0.1:*`, a sender
/// thread, default high-water marks, and in-place receives into one reused message.
enum PushPullTransfer {
    /// Runs the C baseline once (`count` messages of `size` bytes) and returns the bytes it moved.
    static func c(count: Int, size: Int) throws -> Int {
        let rate = maze_transport_push_pull(loopbackEndpoint, count, size)
        guard rate > 0 else { throw ZMQError(operation: "maze_transport_push_pull", code: Int32(-rate)) }
        return count * size
    }

    /// Sends `count` messages that `makeMessage` builds on the sender thread, hands each received one to
    /// `check` on the calling thread, and returns the bytes moved.
    static func swift(
        count: Int, makeMessage: @escaping @Sendable () throws -> ZMQMessage, check: (ZMQMessage) throws -> Void
    ) throws -> Int {
        let context = try ZMQContext()
        let pull = try ZMQSocket(.pull, in: context)
        try pull.set(.receiveTimeout, .seconds(30))
        try pull.bind(loopbackEndpoint)
        let endpoint = try pull.lastEndpoint

        let senderFailure = SenderFailure()
        let senderDone = DispatchSemaphore(value: 0)
        let sender = Thread {
            defer { senderDone.signal() }
            do {
                let push = try ZMQSocket(.push, in: context)
                // Closing right after the last send must still deliver everything queued.
                try push.set(.linger, nil)
                try push.connect(endpoint)
                for _ in 0..<count { try push.send(try makeMessage()) }
            } catch {
                senderFailure.record(error)
            }
        }
        sender.start()

        let message = ZMQMessage()
        var bytes = 0
        for index in 0..<count {
            guard try pull.receive(into: message) else {
                senderDone.wait()
                throw senderFailure.error
                    ?? ZMQError(operation: "zmq_msg_recv(message \(index + 1) of \(count))", code: EAGAIN)
            }
            bytes += message.count
            try check(message)
        }
        senderDone.wait()
        if let error = senderFailure.error { throw error }
        return bytes
    }

    private static let loopbackEndpoint = "tcp://127.0.0.1:*"
}

/// The first error of the sender thread, read by the receiving thread after joining it.
private final class SenderFailure: @unchecked Sendable {
    // @unchecked: `failure` is only accessed under `lock`.
    private let lock = NSLock()
    private var failure: (any Error)?

    func record(_ error: any Error) {
        lock.withLock { failure = failure ?? error }
    }

    var error: (any Error)? { lock.withLock { failure } }
}
