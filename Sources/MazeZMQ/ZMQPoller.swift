import CZMQ

/// The events a poller waits for and reports.
package struct PollEvents: OptionSet, Sendable {
    package let rawValue: Int16
    package init(rawValue: Int16) { self.rawValue = rawValue }

    /// At least one message can be received without blocking.
    package static let readable = PollEvents(rawValue: Int16(ZMQ_POLLIN))
    /// At least one message can be sent without blocking.
    package static let writable = PollEvents(rawValue: Int16(ZMQ_POLLOUT))
}

/// Waits on several sockets at once, e.g. a learner's control ROUTER and its trajectory PULL.
///
/// Holds its sockets, so like them it belongs to one thread.
package final class ZMQPoller {
    private var sockets: [ZMQSocket] = []
    private var items: [zmq_pollitem_t] = []

    package init() {}

    /// Adds `socket`, to be watched for `events`; returns its index in `poll`'s result.
    @discardableResult
    package func register(_ socket: ZMQSocket, for events: PollEvents = .readable) throws -> Int {
        let handle = try socket.openHandle(for: "ZMQPoller.register")
        sockets.append(socket)
        items.append(zmq_pollitem_t(socket: handle, fd: 0, events: events.rawValue, revents: 0))
        return items.count - 1
    }

    /// Waits until a registered socket is ready or `timeout` passes (`nil` = no limit).
    ///
    /// - Returns: the ready events of each socket in registration order; all empty after a timeout.
    package func poll(timeout: Duration?) throws -> [PollEvents] {
        for (index, socket) in sockets.enumerated() where !socket.isOpen {
            throw ZMQError(operation: "zmq_poll(socket \(index) closed)", code: ENOTSOCK)
        }
        let count = items.count
        _ = try items.withUnsafeMutableBufferPointer { buffer in
            try pollItems(buffer.baseAddress, count: count, timeout: timeout)
        }
        return items.map { PollEvents(rawValue: $0.revents) }
    }
}

@available(*, unavailable)
extension ZMQPoller: Sendable {}
