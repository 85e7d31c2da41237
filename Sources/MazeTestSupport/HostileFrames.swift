import MazeService
import MazeWire
import MazeZMQ

/// The four kinds of bad frame the fault tests send to a learner socket, made to fit that socket: each must be
/// dropped and counted under its own `RejectionReason`.
public struct HostileFrames {
    public enum Kind: CaseIterable {
        case malformed, truncated, oversized, wrongType

        public var reason: RejectionReason {
            switch self {
            case .malformed: .malformed
            case .truncated: .truncated
            case .oversized: .oversized
            case .wrongType: .wrongMessageType
            }
        }
    }

    /// A message the socket takes; its prefixes are the truncated frames.
    public let valid: [UInt8]
    /// A well-formed message of a type the socket does not take.
    public let wrongType: [UInt8]
    /// The socket's decode limit; oversized frames are a little larger (but below libzmq's hard limit of twice it).
    public let frameLimit: Int

    public init(valid: [UInt8], wrongType: [UInt8], frameLimit: Int) {
        self.valid = valid
        self.wrongType = wrongType
        self.frameLimit = frameLimit
    }

    /// The `index`th frame of `kind`. None starts with byte 0 or 1, which a weights socket takes as a subscription.
    public func frame(_ kind: Kind, _ index: Int) -> [UInt8] {
        switch kind {
        case .malformed: [0xc1, UInt8(truncatingIfNeeded: index)]  // 0xc1 is never used in msgpack
        case .truncated: Array(valid.prefix(1 + index % (valid.count - 1)))
        case .oversized: [UInt8](repeating: 0x92, count: frameLimit + 1 + index % 64)
        case .wrongType: wrongType
        }
    }

    /// Sends `perKind` frames of every kind through `socket`, interleaved.
    public func send(_ perKind: Int, through socket: ZMQSocket) throws {
        for index in 0..<perKind {
            for kind in Kind.allCases { _ = try socket.send(frame(kind, index)) }
        }
    }
}

extension WireMessage {
    /// The message encoded as one frame's bytes, for sending through a raw socket.
    public func zmqBytes() throws -> [UInt8] {
        try encode().withUnsafeBytes { [UInt8]($0) }
    }
}
