import MazeDistributed
import MazeWire
import MazeZMQ

/// The four kinds of bad frame the fault tests send to a learner socket, made to fit that socket: each must be
/// dropped and counted under its own `RejectionReason`.
struct HostileFrames {
    enum Kind: CaseIterable {
        case malformed, truncated, oversized, wrongType

        var reason: RejectionReason {
            switch self {
            case .malformed: .malformed
            case .truncated: .truncated
            case .oversized: .oversized
            case .wrongType: .wrongMessageType
            }
        }
    }

    /// A message the socket takes; its prefixes are the truncated frames.
    let valid: [UInt8]
    /// A well-formed message of a type the socket does not take.
    let wrongType: [UInt8]
    /// The socket's decode limit; oversized frames are a little larger (but below libzmq's hard limit of twice it).
    let frameLimit: Int

    /// The `index`th frame of `kind`. None starts with byte 0 or 1, which a weights socket takes as a subscription.
    func frame(_ kind: Kind, _ index: Int) -> [UInt8] {
        switch kind {
        case .malformed: [0xc1, UInt8(truncatingIfNeeded: index)]  // 0xc1 is never used in msgpack
        case .truncated: Array(valid.prefix(1 + index % (valid.count - 1)))
        case .oversized: [UInt8](repeating: 0x92, count: frameLimit + 1 + index % 64)
        case .wrongType: wrongType
        }
    }

    /// Sends `perKind` frames of every kind through `socket`, interleaved.
    func send(_ perKind: Int, through socket: ZMQSocket) throws {
        for index in 0..<perKind {
            for kind in Kind.allCases { _ = try socket.send(frame(kind, index)) }
        }
    }
}
