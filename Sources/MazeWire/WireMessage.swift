import CMsgPack

/// Any message of the wire protocol: the unit that `encode()` turns into a frame and `decode` reads back.
///
/// One case per entry of `WireMessageType`; docs/PROTOCOL.md specifies the bytes.
public enum WireMessage: Sendable, Equatable {
    /// `"type": "TrajectoryBatch"`.
    case trajectoryBatch(TrajectoryBatch)
    /// `"type": "PolicyUpdate"`.
    case policyUpdate(PolicyUpdate)
    /// `"type": "Register"`.
    case register(Register)
    /// `"type": "Heartbeat"`.
    case heartbeat(Heartbeat)
    /// `"type": "Assignment"`.
    case assignment(Assignment)
    /// `"type": "CurrentWeightsRequest"`.
    case currentWeightsRequest(CurrentWeightsRequest)
    /// `"type": "CurrentWeights"`.
    case currentWeights(CurrentWeights)
    /// `"type": "Submit"`.
    case submit(Submit)
    /// `"type": "Submitted"`.
    case submitted(Submitted)
    /// `"type": "StatusRequest"`.
    case statusRequest(StatusRequest)
    /// `"type": "StatusReport"`.
    case statusReport(StatusReport)
    /// `"type": "Cancel"`.
    case cancel(Cancel)
    /// `"type": "Cancelled"`.
    case cancelled(Cancelled)
    /// `"type": "Error"`.
    case error(ControlError)

    /// The registry entry, written as the frame's `"type"`.
    public var type: WireMessageType { Swift.type(of: body).messageType }

    /// The payload, seen through the codec protocol every message type implements.
    private var body: any WireMessageBody {
        switch self {
        case .trajectoryBatch(let body): body
        case .policyUpdate(let body): body
        case .register(let body): body
        case .heartbeat(let body): body
        case .assignment(let body): body
        case .currentWeightsRequest(let body): body
        case .currentWeights(let body): body
        case .submit(let body): body
        case .submitted(let body): body
        case .statusRequest(let body): body
        case .statusReport(let body): body
        case .cancel(let body): body
        case .cancelled(let body): body
        case .error(let body): body
        }
    }

    /// Encodes the message as one msgpack map in a `malloc`'d frame; tensor bodies are copied once each.
    public func encode() throws(WireError) -> EncodedFrame {
        try body.encodeFrame()
    }

    /// Encodes the message with the envelope keys `request_id` / `in_reply_to` of `correlation`.
    public func encode(correlation: RequestCorrelation) throws(WireError) -> EncodedFrame {
        try body.encodeFrame(correlation: correlation)
    }

    /// Decodes one message from untrusted bytes, read in place (e.g. a received zmq message).
    ///
    /// The frame is checked against `limits` before msgpack-c parses it; every problem is a `WireError`.
    /// Each tensor body is copied out of `frame` exactly once, so `frame` may be released afterwards.
    public static func decode(
        _ frame: UnsafeRawBufferPointer, limits: DecodeLimits = .standard
    ) throws(WireError) -> WireMessage {
        try decodeCorrelated(frame, limits: limits).message
    }

    /// `decode(_:limits:)`, also returning the envelope's `request_id` / `in_reply_to`.
    public static func decodeCorrelated(
        _ frame: UnsafeRawBufferPointer, limits: DecodeLimits = .standard
    ) throws(WireError) -> (message: WireMessage, correlation: RequestCorrelation) {
        guard let zone = msgpack_zone_new(Int(MSGPACK_ZONE_CHUNK_SIZE)) else {
            throw .malformed("msgpack-c could not allocate memory for the frame")
        }
        defer { msgpack_zone_free(zone) }
        return try decodeEnvelope(frame, limits: limits, zone: zone) { type, fields throws(WireError) in
            (try decodeBody(type, fields), try RequestCorrelation(fields: fields))
        }
    }

    /// Checks the frame against `limits`, has msgpack-c parse it into `zone` (cleared first), reads the envelope
    /// (`version`, `type`), then decodes the rest with `body`.
    static func decodeEnvelope<Result>(
        _ frame: UnsafeRawBufferPointer, limits: DecodeLimits, zone: UnsafeMutablePointer<msgpack_zone>,
        _ body: (WireMessageType, WireMap) throws(WireError) -> Result
    ) throws(WireError) -> Result {
        try FrameScanner(limits: limits).scan(frame)
        guard let base = frame.baseAddress else { throw .truncated(offset: 0) }
        msgpack_zone_clear(zone)
        var object = msgpack_object()
        var offset = 0
        var status = msgpack_unpack(base.assumingMemoryBound(to: CChar.self), frame.count, &offset, zone, &object)
        // Bytes after the first object are refused below, by the offset.
        if status == MSGPACK_UNPACK_EXTRA_BYTES { status = MSGPACK_UNPACK_SUCCESS }
        guard status == MSGPACK_UNPACK_SUCCESS, offset == frame.count else {
            throw .malformed("msgpack-c refused the frame (status \(status.rawValue)) at offset \(offset)")
        }
        let root = WireValue(object: object, at: .root, limits: limits)
        guard root.object.type == MSGPACK_OBJECT_MAP else { throw .wrongType(field: "message", expected: "a map") }
        let fields = try root.map()
        let version = try fields.required(EnvelopeKeys.version).unsignedInteger()
        guard version == WireProtocol.version else { throw .unsupportedVersion(version) }
        let typeName = try fields.required(EnvelopeKeys.type).string()
        guard let type = WireMessageType(rawValue: typeName) else { throw .unknownType(typeName) }
        return try body(type, fields)
    }

    static func decodeBody(_ type: WireMessageType, _ fields: WireMap) throws(WireError) -> WireMessage {
        switch type {
        case .trajectoryBatch: .trajectoryBatch(try TrajectoryBatch(fields: fields))
        case .policyUpdate: .policyUpdate(try PolicyUpdate(fields: fields))
        case .register: .register(try Register(fields: fields))
        case .heartbeat: .heartbeat(try Heartbeat(fields: fields))
        case .assignment: .assignment(try Assignment(fields: fields))
        case .currentWeightsRequest: .currentWeightsRequest(try CurrentWeightsRequest(fields: fields))
        case .currentWeights: .currentWeights(try CurrentWeights(fields: fields))
        case .submit: .submit(try Submit(fields: fields))
        case .submitted: .submitted(try Submitted(fields: fields))
        case .statusRequest: .statusRequest(try StatusRequest(fields: fields))
        case .statusReport: .statusReport(try StatusReport(fields: fields))
        case .cancel: .cancel(try Cancel(fields: fields))
        case .cancelled: .cancelled(try Cancelled(fields: fields))
        case .error: .error(try ControlError(fields: fields))
        }
    }
}
