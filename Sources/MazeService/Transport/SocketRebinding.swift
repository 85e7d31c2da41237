import Foundation
import MazeZMQ

extension ZMQSocket {
    /// Unbinds the socket from its endpoint and binds it there again: every connection made through the endpoint is
    /// closed, and with it whatever its peer made libzmq hold.
    ///
    /// libzmq gives no other way to free that: the frames of a multipart message wait in the peer's pipe until the
    /// message is finished (its high-water marks count whole messages only, and `ZMQ_MAXMSGSIZE` limits each frame,
    /// not their sum), and an XPUB remembers each prefix a peer subscribed to until that peer disconnects, even in
    /// manual mode. Unbinding terminates the endpoint's connections from their side, which discards unfinished
    /// messages (libzmq 4.3.4 would leak them if the socket were closed instead, whose pipes end from the socket's
    /// side) and forgets their subscriptions. The socket itself, its options and a wildcard port stay. Honest peers
    /// reconnect by themselves: ZeroMQ's connecting side retries, a SUB renews its subscriptions, and an actor
    /// registers again when its heartbeats are answered `not_registered`.
    ///
    /// libzmq closes the old listener in the background, so the endpoint is retried until it is free; an `ipc://`
    /// file is first waited out, since the old listener deletes it when it closes and would otherwise remove the new
    /// one's.
    func rebindDroppingConnections(releaseTimeout: Duration = .seconds(2)) throws {
        let endpoint = try lastEndpoint
        try unbind(endpoint)
        let clock = ContinuousClock()
        let deadline = clock.now + releaseTimeout
        if endpoint.hasPrefix("ipc://") {
            let path = String(endpoint.dropFirst("ipc://".count))
            while FileManager.default.fileExists(atPath: path), clock.now < deadline {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
        while true {
            do {
                try bind(endpoint)
                return
            } catch let error as ZMQError where error.code == EADDRINUSE && clock.now < deadline {
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
    }
}

/// Why the learner rebound sockets; each reason is a label of the `maze_socket_recycles_total` metric.
public enum SocketRecycleReason: String, Sendable, CaseIterable {
    /// The resident memory exceeded the learner's budget (`ResidentMemoryGuard`): all three sockets.
    case residentMemory = "resident_memory"
    /// Peers subscribed to more unwanted prefixes than `WeightsPublisher` lets libzmq hold: the weights socket.
    case unwantedSubscriptions = "unwanted_subscriptions"
}
