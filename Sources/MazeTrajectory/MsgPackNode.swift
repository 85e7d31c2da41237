import CMsgPack
import MazeCore

/// A msgpack value copied out of msgpack-c's unpacker, with maps kept in file order (trajectory files and
/// the Gymnasium bridge's messages).
public enum MsgPackNode: Sendable {
    case none
    case bool(Bool)
    case unsigned(UInt64)
    case signed(Int64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([MsgPackNode])
    case map([(key: String, value: MsgPackNode)])

    /// The single value `bytes` hold; trailing bytes or a truncated value are an error.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(MazeError) -> MsgPackNode {
        var unpacked = msgpack_unpacked()
        msgpack_unpacked_init(&unpacked)
        defer { msgpack_unpacked_destroy(&unpacked) }
        var offset = 0
        let status = msgpack_unpack_next(
            &unpacked, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count, &offset)
        guard status == MSGPACK_UNPACK_SUCCESS else {
            throw .invalidValue("not a complete msgpack value (msgpack-c status \(status.rawValue))")
        }
        guard offset == bytes.count else {
            throw .invalidValue("\(bytes.count - offset) bytes follow the msgpack value")
        }
        return try MsgPackNode(unpacked.data)
    }

    private init(_ object: msgpack_object) throws(MazeError) {
        switch object.type {
        case MSGPACK_OBJECT_NIL: self = .none
        case MSGPACK_OBJECT_BOOLEAN: self = .bool(object.via.boolean)
        case MSGPACK_OBJECT_POSITIVE_INTEGER: self = .unsigned(object.via.u64)
        case MSGPACK_OBJECT_NEGATIVE_INTEGER: self = .signed(object.via.i64)
        case MSGPACK_OBJECT_FLOAT32, MSGPACK_OBJECT_FLOAT64: self = .double(object.via.f64)
        case MSGPACK_OBJECT_STR:
            self = .string(try Self.string(object.via.str.ptr, object.via.str.size))
        case MSGPACK_OBJECT_BIN:
            self = .binary(Array(UnsafeRawBufferPointer(start: object.via.bin.ptr, count: Int(object.via.bin.size))))
        case MSGPACK_OBJECT_ARRAY:
            let elements = UnsafeBufferPointer(start: object.via.array.ptr, count: Int(object.via.array.size))
            self = .array(try elements.map { element throws(MazeError) in try MsgPackNode(element) })
        case MSGPACK_OBJECT_MAP:
            let entries = UnsafeBufferPointer(start: object.via.map.ptr, count: Int(object.via.map.size))
            self = .map(
                try entries.map { entry throws(MazeError) in
                    guard entry.key.type == MSGPACK_OBJECT_STR else { throw .invalidValue("a map key is not a string") }
                    return (try Self.string(entry.key.via.str.ptr, entry.key.via.str.size), try MsgPackNode(entry.val))
                })
        default:
            throw .invalidValue("unsupported msgpack type \(object.type.rawValue)")
        }
    }

    private static func string(_ start: UnsafePointer<CChar>?, _ count: UInt32) throws(MazeError) -> String {
        guard let text = String(validating: UnsafeRawBufferPointer(start: start, count: Int(count)), as: UTF8.self)
        else {
            throw .invalidValue("a string is not valid UTF-8")
        }
        return text
    }
}
