import CMsgPack

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes msgpack values with msgpack-c's packer into a `msgpack_sbuffer`, then hands the buffer over as an
/// `EncodedFrame`.
///
/// Tensor bodies are written as one `bin` each, a single `memcpy`. Allocation failures are remembered and
/// reported once by `finish()`, so the individual writes need no error handling.
struct FrameWriter: ~Copyable {
    private let buffer: UnsafeMutablePointer<msgpack_sbuffer>
    private let packer: UnsafeMutablePointer<msgpack_packer>
    private var failed = false

    /// Starts an empty frame with room for `capacity` bytes, so that a good estimate avoids any `realloc`.
    init(capacity: Int) throws(WireError) {
        let capacity = max(capacity, 64)
        guard let storage = malloc(capacity) else { throw .allocationFailed(bytes: capacity) }
        buffer = .allocate(capacity: 1)
        buffer.initialize(
            to: msgpack_sbuffer(size: 0, data: storage.assumingMemoryBound(to: CChar.self), alloc: capacity))
        packer = .allocate(capacity: 1)
        msgpack_packer_init(packer, buffer) { sbuffer, bytes, count in
            msgpack_sbuffer_write(sbuffer, bytes, count)
        }
    }

    deinit {
        free(buffer.pointee.data)
        buffer.deallocate()
        packer.deallocate()
    }

    /// Hands the written bytes over, or reports that an allocation failed along the way.
    consuming func finish() throws(WireError) -> EncodedFrame {
        let size = buffer.pointee.size
        let data = msgpack_sbuffer_release(buffer)
        let failed = self.failed
        buffer.deallocate()
        packer.deallocate()
        discard self
        guard !failed, let data else {
            free(data)
            throw .allocationFailed(bytes: size)
        }
        return EncodedFrame(takingOwnershipOf: UnsafeMutableRawPointer(data), count: size)
    }

    private mutating func check(_ status: Int32) {
        if status != 0 { failed = true }
    }

    mutating func writeMapHeader(count: Int) {
        check(msgpack_pack_map(packer, count))
    }

    mutating func writeArrayHeader(count: Int) {
        check(msgpack_pack_array(packer, count))
    }

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            check(msgpack_pack_str_with_body(packer, utf8.baseAddress, utf8.count))
        }
    }

    mutating func write(_ value: UInt64) {
        check(msgpack_pack_uint64(packer, value))
    }

    mutating func write(_ value: Int) {
        check(msgpack_pack_int64(packer, Int64(value)))
    }

    mutating func write(_ value: Double) {
        check(msgpack_pack_double(packer, value))
    }

    mutating func write(_ value: Bool) {
        check(value ? msgpack_pack_true(packer) : msgpack_pack_false(packer))
    }

    /// Writes a string key followed by its value in one call, the shape of every map entry in the protocol.
    mutating func writeKey(_ key: String, _ writeValue: (inout FrameWriter) -> Void) {
        write(key)
        writeValue(&self)
    }

    mutating func write(_ tensor: WireTensor) {
        writeMapHeader(count: 3)
        writeKey(TensorKeys.dtype) { $0.write(tensor.dtype.rawValue) }
        writeKey(TensorKeys.shape) { writer in
            writer.writeArrayHeader(count: tensor.shape.count)
            for dimension in tensor.shape { writer.write(dimension) }
        }
        write(TensorKeys.data)
        tensor.bytes.withUnsafeBytes { body in
            check(msgpack_pack_bin_with_body(packer, body.baseAddress, body.count))
        }
    }

    /// Writes a name → tensor map with names sorted, so equal messages encode to equal bytes.
    mutating func write(_ tensors: [String: WireTensor]) {
        writeMapHeader(count: tensors.count)
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
            write(name)
            write(tensor)
        }
    }
}

/// The map keys of a tensor (docs/PROTOCOL.md).
enum TensorKeys {
    static let dtype = "dtype"
    static let shape = "shape"
    static let data = "data"
}
