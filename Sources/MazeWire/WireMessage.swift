import CMsgPack

/// Any message of the wire protocol: the unit that `encode()` turns into a frame and `decode` reads back.
///
/// One case per entry of `WireMessageType`; docs/PROTOCOL.md specifies the bytes.
public enum WireMessage: Sendable, Equatable {
    /// `"type": "TrajectoryBatch"`.
    case trajectoryBatch(TrajectoryBatch)
    /// `"type": "PolicyUpdate"`.
    case policyUpdate(PolicyUpdate)

    /// The registry entry, written as the frame's `"type"`.
    public var type: WireMessageType {
        switch self {
        case .trajectoryBatch: .trajectoryBatch
        case .policyUpdate: .policyUpdate
        }
    }

    /// Encodes the message as one msgpack map in a `malloc`'d frame; tensor bodies are copied once each.
    public func encode() throws(WireError) -> EncodedFrame {
        switch self {
        case .trajectoryBatch(let batch): try batch.encodeFrame()
        case .policyUpdate(let update): try update.encodeFrame()
        }
    }

    /// Decodes one message from untrusted bytes, read in place (e.g. a received zmq message).
    ///
    /// The frame is checked against `limits` before msgpack-c parses it; every problem is a `WireError`.
    /// Each tensor body is copied out of `frame` exactly once, so `frame` may be released afterwards.
    public static func decode(
        _ frame: UnsafeRawBufferPointer, limits: DecodeLimits = .standard
    ) throws(WireError) -> WireMessage {
        try FrameScanner(limits: limits).scan(frame)
        guard let base = frame.baseAddress else { throw .truncated(offset: 0) }
        var unpacked = msgpack_unpacked()
        msgpack_unpacked_init(&unpacked)
        defer { msgpack_unpacked_destroy(&unpacked) }
        var offset = 0
        let status = msgpack_unpack_next(&unpacked, base.assumingMemoryBound(to: CChar.self), frame.count, &offset)
        guard status == MSGPACK_UNPACK_SUCCESS, offset == frame.count else {
            throw .malformed("msgpack-c refused the frame (status \(status.rawValue)) at offset \(offset)")
        }
        let root = WireValue(object: unpacked.data, parentPath: "", location: .root, limits: limits)
        guard root.object.type == MSGPACK_OBJECT_MAP else { throw .wrongType(field: "message", expected: "a map") }
        let fields = try root.map()
        let version = try fields.required(EnvelopeKeys.version).unsignedInteger()
        guard version == WireProtocol.version else { throw .unsupportedVersion(version) }
        let typeName = try fields.required(EnvelopeKeys.type).string()
        guard let type = WireMessageType(rawValue: typeName) else { throw .unknownType(typeName) }
        switch type {
        case .trajectoryBatch: return .trajectoryBatch(try TrajectoryBatch(fields: fields))
        case .policyUpdate: return .policyUpdate(try PolicyUpdate(fields: fields))
        }
    }
}
