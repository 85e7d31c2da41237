/// Why a frame could not be decoded or a message could not be built.
///
/// Every failure in MazeWire is one of these cases, so a service can log the reason for a bad frame from
/// an untrusted peer and carry on. Field names are dotted paths into the message, e.g.
/// `observations.pixels.data`.
public enum WireError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The frame is larger than `DecodeLimits.maxFrameBytes`; refused before anything is parsed or allocated.
    case oversized(bytes: Int, limit: Int)
    /// The frame ends inside a value, or a container announces more elements than the remaining bytes can hold.
    case truncated(offset: Int)
    /// Containers are nested deeper than `DecodeLimits.maxDepth`.
    case tooDeep(limit: Int)
    /// One array or map announces more elements than `DecodeLimits.maxContainerElements`, or the frame as
    /// a whole holds more than `DecodeLimits.maxTotalElements`.
    case tooManyElements(count: Int, limit: Int)
    /// A string is longer than `DecodeLimits.maxStringBytes`.
    case stringTooLong(bytes: Int, limit: Int)
    /// The bytes are not well-formed msgpack for this protocol (reserved byte, trailing bytes, invalid UTF-8,
    /// duplicate key, …); the text says which.
    case malformed(String)
    /// A required key is absent.
    case missingField(String)
    /// A value has the wrong msgpack type, e.g. a string where an unsigned integer belongs.
    case wrongType(field: String, expected: String)
    /// The frame's `"v"` is not a protocol version this build speaks.
    case unsupportedVersion(UInt64)
    /// The frame's `"type"` is not in `WireMessageType`.
    case unknownType(String)
    /// A tensor's `"dtype"` is not one of the protocol's dtype codes.
    case invalidDType(field: String, dtype: String)
    /// A tensor has a dtype other than the one its field requires (or the one an accessor asked for).
    case dtypeMismatch(field: String, expected: WireTensor.DType, actual: WireTensor.DType)
    /// A tensor's shape has a negative dimension or its element count overflows.
    case invalidShape(field: String, shape: [Int])
    /// A tensor's shape exceeds `DecodeLimits.maxTensorElements` or `DecodeLimits.maxTensorBytes`.
    case tensorTooLarge(field: String, shape: [Int], maxElements: Int, maxBytes: Int)
    /// A tensor's data length is not dtype size × product(shape).
    case tensorSizeMismatch(field: String, expectedBytes: Int, actualBytes: Int)
    /// A tensor's shape disagrees with the message's own dimensions (e.g. rewards not `[T, B]`).
    case shapeMismatch(field: String, expected: String, actual: [Int])
    /// The encoder could not allocate its output buffer.
    case allocationFailed(bytes: Int)

    public var description: String {
        switch self {
        case .oversized(let bytes, let limit):
            "frame of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .truncated(let offset):
            "frame truncated: a value at or after byte \(offset) needs more bytes than the frame has"
        case .tooDeep(let limit):
            "containers nested deeper than the limit of \(limit)"
        case .tooManyElements(let count, let limit):
            "\(count) elements exceed the limit of \(limit)"
        case .stringTooLong(let bytes, let limit):
            "string of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .malformed(let reason):
            "malformed frame: \(reason)"
        case .missingField(let field):
            "missing required field '\(field)'"
        case .wrongType(let field, let expected):
            "field '\(field)' has the wrong type: expected \(expected)"
        case .unsupportedVersion(let version):
            "unsupported protocol version \(version) (this build speaks version \(WireProtocol.version))"
        case .unknownType(let type):
            "unknown message type '\(type)'"
        case .invalidDType(let field, let dtype):
            "field '\(field)' has invalid dtype '\(dtype)' (expected one of \(WireTensor.DType.allCases.map(\.rawValue)))"
        case .dtypeMismatch(let field, let expected, let actual):
            "tensor '\(field)' has dtype \(actual.rawValue), expected \(expected.rawValue)"
        case .invalidShape(let field, let shape):
            "tensor '\(field)' has invalid shape \(shape) (negative dimension or element count overflow)"
        case .tensorTooLarge(let field, let shape, let maxElements, let maxBytes):
            "tensor '\(field)' of shape \(shape) exceeds the limits of \(maxElements) elements and \(maxBytes) bytes"
        case .tensorSizeMismatch(let field, let expectedBytes, let actualBytes):
            "tensor '\(field)' has \(actualBytes) data bytes, but its dtype and shape need \(expectedBytes)"
        case .shapeMismatch(let field, let expected, let actual):
            "tensor '\(field)' has shape \(actual), expected \(expected)"
        case .allocationFailed(let bytes):
            "could not allocate \(bytes) bytes for an encoded frame"
        }
    }
}
