import CZMQ
import Foundation

/// How a receive waits for a message.
public enum ReceiveMode: Sendable {
    /// Wait until a message arrives (or the socket's `receiveTimeout` passes).
    case blocking
    /// Return at once.
    case nonBlocking
    /// Wait at most this long.
    case timeout(Duration)
}

/// How a send treats a full queue and multipart messages.
public struct SendFlags: OptionSet, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Report "would block" instead of waiting when the high-water mark is reached.
    public static let dontWait = SendFlags(rawValue: ZMQ_DONTWAIT)
    /// More frames of the same multipart message follow this one.
    public static let moreFrames = SendFlags(rawValue: ZMQ_SNDMORE)
}

extension ZMQSocket {
    // MARK: Sending

    /// Sends `message` without copying its body; afterwards the message is empty.
    ///
    /// - Returns: `false` if the message could not be queued without blocking (`dontWait` or
    ///   `sendTimeout`); the message is then unchanged.
    @discardableResult
    public func send(_ message: ZMQMessage, _ flags: SendFlags = []) throws -> Bool {
        let handle = try openHandle(for: "zmq_msg_send")
        let result = retryingOnInterrupt { zmq_msg_send(message.pointer, handle, flags.rawValue) }
        return try Self.sendSucceeded(result, "zmq_msg_send")
    }

    /// Sends a copy of `bytes` (libzmq copies once, into its own message).
    ///
    /// - Returns: `false` if the message could not be queued without blocking.
    @discardableResult
    public func send(_ bytes: some ContiguousBytes, _ flags: SendFlags = []) throws -> Bool {
        let handle = try openHandle(for: "zmq_send")
        let result = bytes.withUnsafeBytes { buffer in
            retryingOnInterrupt { zmq_send(handle, buffer.baseAddress, buffer.count, flags.rawValue) }
        }
        return try Self.sendSucceeded(result, "zmq_send")
    }

    /// Sends `frames` as one multipart message, which peers receive all together or not at all.
    ///
    /// - Returns: `false` if the first frame could not be queued without blocking; nothing was sent.
    @discardableResult
    public func sendMultipart(_ frames: [ZMQMessage], _ flags: SendFlags = []) throws -> Bool {
        try sendFrames(frames.count, flags) { index, frameFlags in try send(frames[index], frameFlags) }
    }

    /// Sends copies of `frames` as one multipart message.
    @discardableResult
    public func sendMultipart(_ frames: [[UInt8]], _ flags: SendFlags = []) throws -> Bool {
        try sendFrames(frames.count, flags) { index, frameFlags in try send(frames[index], frameFlags) }
    }

    private func sendFrames(
        _ count: Int, _ flags: SendFlags, sendFrame: (Int, SendFlags) throws -> Bool
    ) throws -> Bool {
        guard count > 0 else { throw ZMQError(operation: "sendMultipart with no frames", code: EINVAL) }
        for index in 0..<count {
            var frameFlags = flags
            if index < count - 1 { frameFlags.insert(.moreFrames) }
            guard try sendFrame(index, frameFlags) else {
                // libzmq accepts the remaining frames once it accepted the first; failing later would
                // leave a half-sent message, which the next send would corrupt.
                if index == 0 { return false }
                throw ZMQError(operation: "zmq_msg_send(frame \(index + 1) of \(count))", code: EAGAIN)
            }
        }
        return true
    }

    private static func sendSucceeded(_ result: Int32, _ operation: String) throws -> Bool {
        if result >= 0 { return true }
        let code = zmq_errno()
        if code == EAGAIN { return false }
        throw ZMQError(operation: operation, code: code)
    }

    // MARK: Receiving

    /// Receives one frame into `message`, replacing its previous content, and reports whether one arrived.
    ///
    /// Reusing one message avoids an allocation per frame in receive loops. "Nothing yet"
    /// (`EAGAIN`) is `false`, not an error; interrupted waits are resumed.
    public func receive(into message: ZMQMessage, _ mode: ReceiveMode = .blocking) throws -> Bool {
        switch mode {
        case .blocking:
            return try receiveNow(into: message, flags: 0)
        case .nonBlocking:
            return try receiveNow(into: message, flags: ZMQ_DONTWAIT)
        case .timeout(let timeout):
            let clock = ContinuousClock()
            let deadline = clock.now + timeout
            while true {
                let remaining = deadline - clock.now
                guard try waitForEvents(.readable, timeout: max(remaining, .zero)) else { return false }
                // Readable sockets can still have nothing for us (e.g. a REQ awaiting its own send).
                if try receiveNow(into: message, flags: ZMQ_DONTWAIT) { return true }
                if clock.now >= deadline { return false }
            }
        }
    }

    /// Receives one frame, or `nil` if none arrived (see `ReceiveMode`).
    public func receive(_ mode: ReceiveMode = .blocking) throws -> ZMQMessage? {
        let message = ZMQMessage()
        return try receive(into: message, mode) ? message : nil
    }

    /// Receives all frames of the next multipart message, or `nil` if none arrived.
    ///
    /// `mode` applies to the first frame; libzmq delivers the remaining frames together with it.
    public func receiveMultipart(_ mode: ReceiveMode = .blocking) throws -> [ZMQMessage]? {
        guard let first = try receive(mode) else { return nil }
        var frames = [first]
        while let last = frames.last, last.hasMoreFrames {
            let next = ZMQMessage()
            guard try receiveNow(into: next, flags: 0) else {
                throw ZMQError(operation: "zmq_msg_recv(frame \(frames.count + 1))", code: EAGAIN)
            }
            frames.append(next)
        }
        return frames
    }

    private func receiveNow(into message: ZMQMessage, flags: Int32) throws -> Bool {
        let handle = try openHandle(for: "zmq_msg_recv")
        if retryingOnInterrupt({ zmq_msg_recv(message.pointer, handle, flags) }) >= 0 { return true }
        let code = zmq_errno()
        if code == EAGAIN { return false }
        throw ZMQError(operation: "zmq_msg_recv", code: code)
    }

    /// Waits until this socket has any of `events`; `false` if `timeout` passed first.
    func waitForEvents(_ events: PollEvents, timeout: Duration?) throws -> Bool {
        var item = zmq_pollitem_t(
            socket: try openHandle(for: "zmq_poll"), fd: 0, events: events.rawValue, revents: 0
        )
        return try pollItems(&item, count: 1, timeout: timeout) > 0
    }
}

/// Polls `count` items at `items`, resuming after signals with the time that is left; returns the number ready.
func pollItems(_ items: UnsafeMutablePointer<zmq_pollitem_t>?, count: Int, timeout: Duration?) throws -> Int {
    let clock = ContinuousClock()
    let deadline = timeout.map { clock.now + $0 }
    while true {
        let milliseconds: Int
        if let deadline {
            let remaining = max(deadline - clock.now, .zero)
            milliseconds = Int(DurationCoding.encode(remaining, unit: .milliseconds(1)) ?? Int32.max)
        } else {
            milliseconds = -1
        }
        let ready = zmq_poll(items, Int32(count), milliseconds)
        if ready >= 0 { return Int(ready) }
        let code = zmq_errno()
        guard code == EINTR else { throw ZMQError(operation: "zmq_poll", code: code) }
    }
}
