import Foundation

/// Named Float32 tensors in the `.safetensors` format of Hugging Face, readable by its Python package.
///
/// Layout: an 8-byte little-endian header length, a JSON header mapping each name to
/// `{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}` (plus an optional string map
/// `__metadata__`), then the little-endian, row-major data. Files are untrusted input: every length
/// and offset is checked before use.
public struct SafetensorsArchive: Sendable, Equatable {
    /// The tensors, written in name order.
    public var tensors: ParameterStore
    /// Free-form string pairs stored under `__metadata__` (policy version, format tag …).
    public var metadata: [String: String]

    /// Largest header accepted, as in the reference implementation (100 MB).
    private static let maximumHeaderLength = 100_000_000
    private static let metadataKey = "__metadata__"

    /// An archive of `tensors` with optional `metadata`.
    public init(tensors: ParameterStore, metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates the file at `url`.
    public init(contentsOf url: URL) throws {
        try self.init(data: Data(contentsOf: url))
    }

    /// Writes the file atomically, so that a reader never sees half a checkpoint.
    public func write(to url: URL) throws {
        try encoded().write(to: url, options: .atomic)
    }

    /// The file's bytes: tensors in name order, header padded with spaces to a multiple of 8 bytes.
    public func encoded() throws -> Data {
        var header: [String: Any] = [:]
        var offset = 0
        for name in tensors.names {
            let tensor = try tensors.tensor(named: name)
            let size = tensor.scalarCount * MemoryLayout<Float>.size
            header[name] =
                ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        if !metadata.isEmpty { header[Self.metadataKey] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var data = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for name in tensors.names {
            try tensors.tensor(named: name).withUnsafeScalars { scalars in
                // safetensors stores little-endian floats: on a little-endian host the scalars are the bytes, copied
                // at once (a learner checkpoints on its update thread; 4-byte appends took 5 % of an IMPALA run's).
                #if _endian(little)
                    data.append(scalars)
                #else
                    for value in scalars {
                        withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                    }
                #endif
            }
        }
        return data
    }

    /// Parses a file's bytes; anything malformed or unsupported is a `TensorError.malformedCheckpoint`.
    public init(data: Data) throws(TensorError) {
        let bytes = [UInt8](data)
        guard bytes.count >= 8 else {
            throw .malformedCheckpoint("file has \(bytes.count) bytes, fewer than the 8-byte header length")
        }
        let declared = bytes[0..<8].enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        guard declared <= UInt64(Self.maximumHeaderLength), Int(declared) <= bytes.count - 8 else {
            throw .malformedCheckpoint(
                "header length \(declared) exceeds the file (\(bytes.count) bytes) or the 100 MB limit")
        }
        let headerEnd = 8 + Int(declared)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd]))
        } catch {
            throw .malformedCheckpoint("header is not valid JSON")
        }
        guard let header = object as? [String: Any] else { throw .malformedCheckpoint("header is not a JSON object") }
        let payload = bytes.count - headerEnd
        var tensors = ParameterStore()
        var metadata: [String: String] = [:]
        for (name, entry) in header {
            if name == Self.metadataKey {
                guard let strings = entry as? [String: String] else {
                    throw .malformedCheckpoint("__metadata__ must map strings to strings")
                }
                metadata = strings
                continue
            }
            let (shape, range) = try Self.describe(name: name, entry: entry, payload: payload)
            let scalars = (0..<Shape.count(shape)).map { index -> Float in
                let start = headerEnd + range.lowerBound + 4 * index
                let pattern =
                    UInt32(bytes[start]) | UInt32(bytes[start + 1]) << 8 | UInt32(bytes[start + 2]) << 16 | UInt32(
                        bytes[start + 3]) << 24
                return Float(bitPattern: pattern)
            }
            tensors[name] = Tensor(uncheckedShape: shape, scalars: scalars)
        }
        self.init(tensors: tensors, metadata: metadata)
    }

    /// Validates one header entry and returns its shape and byte range within the data section.
    private static func describe(name: String, entry: Any, payload: Int) throws(TensorError) -> ([Int], Range<Int>) {
        guard let fields = entry as? [String: Any],
            let dtype = fields["dtype"] as? String,
            let shape = fields["shape"] as? [Int],
            let offsets = fields["data_offsets"] as? [Int], offsets.count == 2
        else { throw .malformedCheckpoint("entry '\(name)' lacks dtype, shape or data_offsets") }
        guard dtype == "F32" else {
            throw .malformedCheckpoint("tensor '\(name)' has dtype \(dtype); only F32 is supported")
        }
        guard shape.allSatisfy({ $0 >= 0 && $0 <= payload }) else {
            throw .malformedCheckpoint("tensor '\(name)' has invalid shape \(shape)")
        }
        let (count, overflow) = shape.reduce((1, false)) { partial, dimension in
            let product = partial.0.multipliedReportingOverflow(by: dimension)
            return (product.partialValue, partial.1 || product.overflow)
        }
        guard !overflow, count <= payload / 4, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= payload,
            offsets[1] - offsets[0] == count * 4
        else {
            throw .malformedCheckpoint(
                "tensor '\(name)' with shape \(shape) has data_offsets \(offsets) that do not fit \(payload) data bytes"
            )
        }
        return (shape, offsets[0]..<offsets[1])
    }
}
