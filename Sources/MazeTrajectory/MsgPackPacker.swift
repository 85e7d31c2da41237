import CMsgPack
import Foundation
import MazeCore

/// Writes msgpack values with msgpack-c's packer into a growing `msgpack_sbuffer`.
///
/// Allocation failures are remembered and reported once by ``finish()``, so the individual writes
/// need no error handling.
public struct MsgPackPacker: ~Copyable {
    private let buffer: UnsafeMutablePointer<msgpack_sbuffer>
    private let packer: UnsafeMutablePointer<msgpack_packer>
    private var failed = false

    public init() {
        buffer = .allocate(capacity: 1)
        msgpack_sbuffer_init(buffer)
        packer = .allocate(capacity: 1)
        msgpack_packer_init(packer, buffer) { sbuffer, bytes, count in
            msgpack_sbuffer_write(sbuffer, bytes, count)
        }
    }

    deinit {
        msgpack_sbuffer_destroy(buffer)
        buffer.deallocate()
        packer.deallocate()
    }

    /// The bytes written, or an error if msgpack-c could not grow its buffer along the way.
    public borrowing func finish() throws(MazeError) -> Data {
        guard !failed else { throw .io("out of memory while encoding a trajectory") }
        guard let bytes = buffer.pointee.data else { return Data() }
        return Data(bytes: bytes, count: buffer.pointee.size)
    }

    private mutating func check(_ status: Int32) {
        if status != 0 { failed = true }
    }

    public mutating func writeMapHeader(count: Int) { check(msgpack_pack_map(packer, count)) }
    public mutating func writeArrayHeader(count: Int) { check(msgpack_pack_array(packer, count)) }
    public mutating func write(_ value: UInt64) { check(msgpack_pack_uint64(packer, value)) }
    public mutating func write(_ value: Int) { check(msgpack_pack_int64(packer, Int64(value))) }
    public mutating func write(_ value: Double) { check(msgpack_pack_double(packer, value)) }
    public mutating func writeNil() { check(msgpack_pack_nil(packer)) }
    public mutating func write(_ value: Bool) { check(value ? msgpack_pack_true(packer) : msgpack_pack_false(packer)) }

    public mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in check(msgpack_pack_str_with_body(packer, utf8.baseAddress, utf8.count)) }
    }

    public mutating func write(binary bytes: UnsafeRawBufferPointer) {
        check(msgpack_pack_bin_with_body(packer, bytes.baseAddress, bytes.count))
    }
}
