import CMsgPack

/// Where a value sits in a frame, as the dotted path error messages name (`observations.obs.shape[1]`).
///
/// The path is rendered only when an error message asks for it: its last four steps are kept as they are, and only
/// deeper ones are rendered into `prefix` as they are passed, so that decoding a well-formed trajectory batch builds no
/// path strings (a steady-state intake allocates nothing for them).
struct WirePath {
    /// One step from a container to a value in it.
    enum Location {
        case key(String)
        case index(Int)
        /// The key itself of a map entry, rather than its value.
        case mapKey
    }

    /// The rendered steps above `steps`.
    private var prefix = ""
    private var steps: (Location?, Location?, Location?, Location?)

    static let root = WirePath(steps: (nil, nil, nil, nil))

    private init(steps: (Location?, Location?, Location?, Location?)) {
        self.steps = steps
    }

    /// This path followed by `location`.
    func appending(_ location: Location) -> WirePath {
        var path = self
        switch steps {
        case (nil, _, _, _): path.steps.0 = location
        case (_, nil, _, _): path.steps.1 = location
        case (_, _, nil, _): path.steps.2 = location
        case (_, _, _, nil): path.steps.3 = location
        case (let first?, let second, let third, let fourth):
            path.prefix = Self.render(prefix, first)
            path.steps = (second, third, fourth, location)
        }
        return path
    }

    /// The dotted path: keys joined by dots, indices in brackets.
    var rendered: String {
        [steps.0, steps.1, steps.2, steps.3].reduce(prefix) { path, step in step.map { Self.render(path, $0) } ?? path }
    }

    private static func render(_ path: String, _ location: Location) -> String {
        switch location {
        case .key(let key): path.isEmpty ? key : "\(path).\(key)"
        case .index(let index): "\(path)[\(index)]"
        case .mapKey: "\(path) (a map key)"
        }
    }
}

/// A value inside a frame that msgpack-c has unpacked, with its path for error messages.
///
/// Strings and binaries point into the frame itself (msgpack-c does not copy them), so a `WireValue` is valid
/// only while the frame's bytes and the unpacker's zone are alive: within `WireMessage.decode`.
struct WireValue {
    let object: msgpack_object
    let at: WirePath
    let limits: DecodeLimits

    var path: String { at.rendered }

    func wrongType(_ expected: String) -> WireError {
        .wrongType(field: path, expected: expected)
    }

    func map() throws(WireError) -> WireMap {
        guard object.type == MSGPACK_OBJECT_MAP else { throw wrongType("a map") }
        let entries = UnsafeBufferPointer(start: object.via.map.ptr, count: Int(object.via.map.size))
        return WireMap(entries: entries, at: at, limits: limits)
    }

    /// The elements of an array, as values whose paths end in their index.
    func array() throws(WireError) -> WireArray {
        guard object.type == MSGPACK_OBJECT_ARRAY else { throw wrongType("an array") }
        let elements = UnsafeBufferPointer(start: object.via.array.ptr, count: Int(object.via.array.size))
        return WireArray(elements: elements, at: at, limits: limits)
    }

    func string() throws(WireError) -> String {
        guard object.type == MSGPACK_OBJECT_STR else { throw wrongType("a string") }
        guard let text = Self.utf8String(object.via.str.ptr, count: object.via.str.size) else {
            throw .malformed("field '\(path)' is not valid UTF-8")
        }
        return text
    }

    /// `string()` into `text`, which is kept (not rebuilt) when it already holds the same bytes.
    func string(into text: inout String) throws(WireError) {
        if Self.bytes(of: object, equal: text) { return }
        text = try string()
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
        var tensor = WireTensor.empty
        try self.tensor(into: &tensor)
        return tensor
    }

    /// `tensor()` into `tensor`: its shape is kept when the frame's is the same, and its bytes are overwritten in
    /// place when it holds as many and they are not shared (copy on write otherwise). Every check is made before
    /// `tensor` changes, so a throw leaves it as it was.
    func tensor(into tensor: inout WireTensor) throws(WireError) {
        let fields = try map()
        let dtypeCode = try fields.required(TensorKeys.dtype).string()
        guard let dtype = WireTensor.DType(rawValue: dtypeCode) else {
            throw .invalidDType(field: "\(fields.path).\(TensorKeys.dtype)", dtype: dtypeCode)
        }
        let dimensions = try fields.required(TensorKeys.shape).array()
        var isSameShape = dimensions.count == tensor.shape.count
        for (index, dimension) in dimensions.enumerated() {
            let size = try dimension.count()
            isSameShape = isSameShape && tensor.shape[index] == size
        }
        let shape =
            isSameShape ? tensor.shape : try dimensions.map { dimension throws(WireError) in try dimension.count() }
        guard let expectedBytes = WireTensor.byteCount(dtype: dtype, shape: shape) else {
            throw .invalidShape(field: fields.path, shape: shape)
        }
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
        tensor.overwrite(dtype: dtype, shape: shape, bytes: body)
    }

    /// A map from names to tensors.
    func tensors() throws(WireError) -> [String: WireTensor] {
        var tensors: [String: WireTensor] = [:]
        try self.tensors(into: &tensors)
        return tensors
    }

    /// `tensors()` into `tensors`: when the frame names exactly the tensors `tensors` holds, each is decoded into its
    /// old value (`tensor(into:)`); otherwise they are decoded afresh. After a throw `tensors` holds consistent
    /// tensors, not necessarily the old ones.
    func tensors(into tensors: inout [String: WireTensor]) throws(WireError) {
        let fields = try map()
        guard fields.hasNames(of: tensors) else {
            tensors = try fields.namedValues { value throws(WireError) in try value.tensor() }
            return
        }
        for entry in fields.entries {
            guard let index = tensors.keys.firstIndex(where: { WireValue.bytes(of: entry.key, equal: $0) }) else {
                continue  // not reached: `hasNames` found every key
            }
            let value = WireValue(object: entry.val, at: fields.at.appending(.key(tensors.keys[index])), limits: limits)
            try value.tensor(into: &tensors.values[index])
        }
    }

    /// The string of UTF-8 bytes, or `nil` when they are not valid UTF-8. Decoded with repair, then compared with
    /// the bytes (a repair would have changed them): unlike `String(validating:as:)`, this makes no allocation for a
    /// string of up to 15 bytes, such as most ids and names.
    static func utf8String(_ start: UnsafePointer<CChar>?, count: UInt32) -> String? {
        let bytes = UnsafeRawBufferPointer(start: start, count: Int(count)).assumingMemoryBound(to: UInt8.self)
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }

    /// Whether `object` is a string of exactly `text`'s bytes.
    static func bytes(of object: msgpack_object, equal text: String) -> Bool {
        // Comparing lengths first skips the byte comparison for almost every non-matching key.
        guard object.type == MSGPACK_OBJECT_STR, Int(object.via.str.size) == text.utf8.count else { return false }
        let bytes = UnsafeRawBufferPointer(start: object.via.str.ptr, count: Int(object.via.str.size))
        return text.utf8.elementsEqual(bytes)
    }
}

/// The elements of a msgpack array, as values whose paths end in their index.
struct WireArray: RandomAccessCollection {
    let elements: UnsafeBufferPointer<msgpack_object>
    let at: WirePath
    let limits: DecodeLimits

    var startIndex: Int { 0 }
    var endIndex: Int { elements.count }

    subscript(index: Int) -> WireValue {
        WireValue(object: elements[index], at: at.appending(.index(index)), limits: limits)
    }
}

/// The entries of a msgpack map, looked up by string key; keys nobody asks for are ignored.
struct WireMap {
    let entries: UnsafeBufferPointer<msgpack_object_kv>
    let at: WirePath
    let limits: DecodeLimits

    var path: String { at.rendered }

    private func childPath(_ key: String) -> String {
        at.appending(.key(key)).rendered
    }

    /// The value under `key`, or nil when the key is absent or its value is msgpack nil.
    func optional(_ key: String) throws(WireError) -> WireValue? {
        var found: msgpack_object?
        for entry in entries where WireValue.bytes(of: entry.key, equal: key) {
            guard found == nil else { throw .malformed("duplicate key '\(childPath(key))'") }
            found = entry.val
        }
        guard let found, found.type != MSGPACK_OBJECT_NIL else { return nil }
        return WireValue(object: found, at: at.appending(.key(key)), limits: limits)
    }

    func required(_ key: String) throws(WireError) -> WireValue {
        guard let value = try optional(key) else { throw .missingField(childPath(key)) }
        return value
    }

    /// Every entry as name → transformed value; here every key must be a string and names must be unique.
    func namedValues<Value>(_ transform: (WireValue) throws(WireError) -> Value) throws(WireError) -> [String: Value] {
        var result: [String: Value] = [:]
        try namedValues(into: &result, transform)
        return result
    }

    /// `namedValues(_:)` into `result`, whose capacity is kept.
    func namedValues<Value>(
        into result: inout [String: Value], _ transform: (WireValue) throws(WireError) -> Value
    ) throws(WireError) {
        // Neither call is made on an empty dictionary, which would give it storage of its own (an allocation).
        if !result.isEmpty { result.removeAll(keepingCapacity: true) }
        if !entries.isEmpty { result.reserveCapacity(entries.count) }
        for entry in entries {
            let name = try WireValue(object: entry.key, at: at.appending(.mapKey), limits: limits).string()
            guard result[name] == nil else { throw .malformed("duplicate key '\(childPath(name))'") }
            result[name] = try transform(WireValue(object: entry.val, at: at.appending(.key(name)), limits: limits))
        }
    }

    /// Whether the map's keys are exactly the keys of `named`, each once: every key is a string found in `named`, and
    /// every name of `named` is a key (with as many entries as names, no key can then repeat). Makes no `String`.
    func hasNames<Value>(of named: [String: Value]) -> Bool {
        entries.count == named.count
            && entries.allSatisfy { entry in named.keys.contains { WireValue.bytes(of: entry.key, equal: $0) } }
            && named.keys.allSatisfy { name in entries.contains { WireValue.bytes(of: $0.key, equal: name) } }
    }
}
