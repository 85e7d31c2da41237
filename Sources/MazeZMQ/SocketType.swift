import CZMQ

/// The messaging patterns swift-maze uses, mapped to libzmq socket types.
public enum SocketType: Sendable, CaseIterable, CustomStringConvertible {
    /// Pipeline sender: round-robins messages over connected pullers (actor → learner trajectories).
    case push
    /// Pipeline receiver: fair-queues messages from all pushers.
    case pull
    /// Broadcast sender: every subscriber with a matching prefix gets each message (weights).
    case pub
    /// Broadcast receiver: filters by subscribed prefixes.
    case sub
    /// Broadcast sender that also hands the application what subscribers send: subscriptions, and any other
    /// frame a peer writes (the learner reads them to count hostile traffic on its weights socket).
    case xpub
    /// Broadcast receiver that sends its subscriptions, and any other frame, as messages.
    case xsub
    /// Addressed server: prefixes each received message with the sender's routing id (control).
    case router
    /// Asynchronous client of a router.
    case dealer
    /// Strict request/reply client: send, receive, send, receive…
    case req
    /// Strict request/reply server.
    case rep
    /// One-to-one connection both ways, e.g. between two threads of a process over `inproc://`.
    case pair

    var rawValue: Int32 {
        switch self {
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        case .pub: ZMQ_PUB
        case .sub: ZMQ_SUB
        case .xpub: ZMQ_XPUB
        case .xsub: ZMQ_XSUB
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .req: ZMQ_REQ
        case .rep: ZMQ_REP
        case .pair: ZMQ_PAIR
        }
    }

    public var description: String {
        switch self {
        case .push: "PUSH"
        case .pull: "PULL"
        case .pub: "PUB"
        case .sub: "SUB"
        case .xpub: "XPUB"
        case .xsub: "XSUB"
        case .router: "ROUTER"
        case .dealer: "DEALER"
        case .req: "REQ"
        case .rep: "REP"
        case .pair: "PAIR"
        }
    }
}
