import CMsgPack

/// A value inside a frame that msgpack-c has unpacked, with its dotted path for error messages.
///
/// Strings and binaries point into the frame itself (msgpack-c does not copy them), so a `WireValue` is valid
/// only while the frame's bytes and the unpacker's zone are alive: within `WireMessage.decode`.
struct WireValue {
    /// Where a value sits in its parent; the full path string is built only when an error or a map needs it.
    enum Location {
        case root
        case key(String)
        case index(Int)
        /// The key itself of a map entry, rather than its value.
        case mapKey
    }

    let object: msgpack_object
    let parentPath: String
    let location: Location
    let limits: DecodeLimits

    var path: String { Self.path(parentPath, location) }

    static func path(_ parentPath: String, _ location: Location) -> String {
        switch location {
        case .root: parentPath
        case .key(let key): parentPath.isEmpty ? key : "\(parentPath).\(key)"
        case .index(let index): "\(parentPath)[\(index)]"
        case .mapKey: "\(parentPath) (a map key)"
        }
    }

    private func wrongType(_ expected: String) -> WireError {
        .wrongType(field: path, expected: expected)
    }

    func map() throws(WireError) -> WireMap {
        guard object.type == MSGPACK_OBJECT_MAP else { throw wrongType("a map") }
        let entries = UnsafeBufferPointer(start: object.via.map.ptr, count: Int(object.via.map.size))
        return WireMap(entries: entries, path: path, limits: limits)
    }

    /// The elements of an array, as values whose paths end in their index.
    func array() throws(WireError) -> [WireValue] {
        guard object.type == MSGPACK_OBJECT_ARRAY else { throw wrongType("an array") }
        let elements = UnsafeBufferPointer(start: object.via.array.ptr, count: Int(object.via.array.size))
        return elements.enumerated().map { index, element in
            WireValue(object: element, parentPath: path, location: .index(index), limits: limits)
        }
    }

    func string() throws(WireError) -> String {
        guard object.type == MSGPACK_OBJECT_STR else { throw wrongType("a string") }
        guard let text = Self.utf8String(object.via.str.ptr, count: object.via.str.size) else {
            throw .malformed("field '\(path)' is not valid UTF-8")
        }
        return text
    }

    func unsignedInteger() throws(WireError) -> UInt64 {
        guard object.type == MSGPACK_OBJECT_POSITIVE_INTEGER else { throw wrongType("an unsigned integer") }
        return object.via.u64
    }

    /// A non-negative integer that fits `Int`, such as a count or a dimension.
    func count() throws(WireError) -> Int {
        let value = try unsignedInteger()
        guard value <= UInt64(Int.max) else { throw wrongType("an unsigned integer below 2^63") }
        return Int(value)
    }

    /// Any integer that fits `Int`.
    func integer() throws(WireError) -> Int {
        if object.type == MSGPACK_OBJECT_NEGATIVE_INTEGER { return Int(object.via.i64) }
        guard object.type == MSGPACK_OBJECT_POSITIVE_INTEGER else { throw wrongType("an integer") }
        return try count()
    }

    /// A float of either width; integers are accepted too, since many encoders write `0.0` as `0`.
    func double() throws(WireError) -> Double {
        switch object.type {
        case MSGPACK_OBJECT_FLOAT32, MSGPACK_OBJECT_FLOAT64: object.via.f64
        case MSGPACK_OBJECT_POSITIVE_INTEGER: Double(object.via.u64)
        case MSGPACK_OBJECT_NEGATIVE_INTEGER: Double(object.via.i64)
        default: throw wrongType("a number")
        }
    }

    func bool() throws(WireError) -> Bool {
        guard object.type == MSGPACK_OBJECT_BOOLEAN else { throw wrongType("a boolean") }
        return object.via.boolean
    }

    /// A `{dtype, shape, data}` map, checked against the limits and copied out of the frame once.
    func tensor() throws(WireError) -> WireTensor {
        let fields = try map()
        let dtypeCode = try fields.required(TensorKeys.dtype).string()
        guard let dtype = WireTensor.DType(rawValue: dtypeCode) else {
            throw .invalidDType(field: "\(fields.path).\(TensorKeys.dtype)", dtype: dtypeCode)
        }
        let shape = try fields.required(TensorKeys.shape).array().map { dimension throws(WireError) in
            try dimension.count()
        }
        let expectedBytes = try WireTensor.byteCount(dtype: dtype, shape: shape, field: fields.path)
        guard expectedBytes / dtype.byteWidth <= limits.maxTensorElements, expectedBytes <= limits.maxTensorBytes else {
            throw .tensorTooLarge(
                field: fields.path, shape: shape, maxElements: limits.maxTensorElements, maxBytes: limits.maxTensorBytes
            )
        }
        let data = try fields.required(TensorKeys.data)
        guard data.object.type == MSGPACK_OBJECT_BIN else { throw data.wrongType("binary data (msgpack bin)") }
        let body = UnsafeRawBufferPointer(start: data.object.via.bin.ptr, count: Int(data.object.via.bin.size))
        guard body.count == expectedBytes else {
            throw .tensorSizeMismatch(field: data.path, expectedBytes: expectedBytes, actualBytes: body.count)
        }
        return WireTensor(validatedDType: dtype, shape: shape, bytes: [UInt8](body))
    }

    /// A map from names to tensors.
    func tensors() throws(WireError) -> [String: WireTensor] {
        try map().namedValues { value throws(WireError) in try value.tensor() }
    }

    static func utf8String(_ start: UnsafePointer<CChar>?, count: UInt32) -> String? {
        String(validating: UnsafeRawBufferPointer(start: start, count: Int(count)), as: UTF8.self)
    }
}

/// The entries of a msgpack map, looked up by string key; keys nobody asks for are ignored.
struct WireMap {
    let entries: UnsafeBufferPointer<msgpack_object_kv>
    let path: String
    let limits: DecodeLimits

    private func childPath(_ key: String) -> String {
        WireValue.path(path, .key(key))
    }

    /// The value under `key`, or nil when the key is absent or its value is msgpack nil.
    func optional(_ key: String) throws(WireError) -> WireValue? {
        var found: msgpack_object?
        for entry in entries where Self.isString(entry.key, equalTo: key) {
            guard found == nil else { throw .malformed("duplicate key '\(childPath(key))'") }
            found = entry.val
        }
        guard let found, found.type != MSGPACK_OBJECT_NIL else { return nil }
        return WireValue(object: found, parentPath: path, location: .key(key), limits: limits)
    }

    func required(_ key: String) throws(WireError) -> WireValue {
        guard let value = try optional(key) else { throw .missingField(childPath(key)) }
        return value
    }

    /// Every entry as name → transformed value; here every key must be a string and names must be unique.
    func namedValues<Value>(_ transform: (WireValue) throws(WireError) -> Value) throws(WireError) -> [String: Value] {
        var result: [String: Value] = [:]
        result.reserveCapacity(entries.count)
        for entry in entries {
            let name = try WireValue(object: entry.key, parentPath: path, location: .mapKey, limits: limits).string()
            guard result[name] == nil else { throw .malformed("duplicate key '\(childPath(name))'") }
            result[name] = try transform(
                WireValue(object: entry.val, parentPath: path, location: .key(name), limits: limits))
        }
        return result
    }

    private static func isString(_ object: msgpack_object, equalTo key: String) -> Bool {
        // Comparing lengths first skips the byte comparison for almost every non-matching key.
        guard object.type == MSGPACK_OBJECT_STR, Int(object.via.str.size) == key.utf8.count else { return false }
        let bytes = UnsafeRawBufferPointer(start: object.via.str.ptr, count: Int(object.via.str.size))
        return key.utf8.elementsEqual(bytes)
    }
}
