/// A dense tensor as it travels on the wire: a dtype, a shape and the raw little-endian, C-order bytes.
///
/// The byte count always equals `dtype.byteWidth × product(shape)`; every initializer checks it, so a value
/// of this type is always consistent. Python reads one with `numpy.frombuffer(data, dtype).reshape(shape)`.
public struct WireTensor: Sendable, Equatable {
    /// The element types the protocol carries, named by their numpy dtype codes.
    public enum DType: String, Sendable, CaseIterable {
        case float32 = "f4"
        case int32 = "i4"
        case int64 = "i8"
        case uint8 = "u1"
        /// One byte per element; zero is false, anything else true (numpy writes 0 and 1).
        case bool = "b1"

        /// Bytes per element.
        public var byteWidth: Int {
            switch self {
            case .float32, .int32: 4
            case .int64: 8
            case .uint8, .bool: 1
            }
        }
    }

    /// The element type.
    public internal(set) var dtype: DType
    /// Dimensions, outermost first; `[]` is a scalar with one element.
    public internal(set) var shape: [Int]
    /// The elements, little-endian, in C (row-major) order.
    public internal(set) var bytes: [UInt8]

    /// An `f4 [0]` tensor, for the decoder to decode into.
    static let empty = WireTensor(validatedDType: .float32, shape: [0], bytes: [])

    /// Wraps raw bytes after checking that their count matches `dtype` and `shape`.
    public init(dtype: DType, shape: [Int], bytes: [UInt8]) throws(WireError) {
        guard let expected = Self.byteCount(dtype: dtype, shape: shape) else {
            throw .invalidShape(field: "tensor", shape: shape)
        }
        guard bytes.count == expected else {
            throw .tensorSizeMismatch(field: "tensor", expectedBytes: expected, actualBytes: bytes.count)
        }
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Builds a tensor of `shape` from numeric values in C order.
    public init<Scalar: WireScalar>(shape: [Int], values: [Scalar]) throws(WireError) {
        let bytes = values.withUnsafeBytes { [UInt8]($0) }
        try self.init(dtype: Scalar.wireDType, shape: shape, bytes: bytes)
    }

    /// Builds a `b1` tensor of `shape` from booleans in C order.
    public init(shape: [Int], bools: [Bool]) throws(WireError) {
        try self.init(dtype: .bool, shape: shape, bytes: bools.map { $0 ? 1 : 0 })
    }

    /// Trusted construction for the decoder, which has already checked the byte count against the shape.
    init(validatedDType dtype: DType, shape: [Int], bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// Makes this the tensor of `values` in `shape`: written over the elements in place when the tensor already has
    /// their type, that shape and storage nobody shares (a learner's weights, published after every update into the
    /// tensors of the publication before last), a new tensor otherwise. Throws what the checked initializer throws.
    package mutating func assign<Scalar: WireScalar>(_ values: UnsafeBufferPointer<Scalar>, shape: [Int])
        throws(WireError)
    {
        let raw = UnsafeRawBufferPointer(values)
        if dtype == Scalar.wireDType, self.shape == shape, bytes.count == raw.count {
            overwrite(dtype: dtype, shape: self.shape, bytes: raw)
        } else {
            self = try WireTensor(dtype: Scalar.wireDType, shape: shape, bytes: [UInt8](raw))
        }
    }

    /// Replaces the tensor with a checked one (`bytes.count` is `byteCount(dtype:shape:)`), writing its bytes into
    /// the old storage when that holds as many and is not shared, so that a steady decoder allocates nothing.
    mutating func overwrite(dtype: DType, shape: [Int], bytes: UnsafeRawBufferPointer) {
        self.dtype = dtype
        self.shape = shape
        if self.bytes.count == bytes.count {
            self.bytes.withUnsafeMutableBytes { $0.copyMemory(from: bytes) }
        } else {
            self.bytes = [UInt8](bytes)
        }
    }

    /// The number of elements, product(shape).
    public var elementCount: Int { bytes.count / dtype.byteWidth }

    /// The elements as `Scalar`s in C order; fails unless the tensor's dtype is `Scalar.wireDType`.
    public func values<Scalar: WireScalar>(as type: Scalar.Type = Scalar.self) throws(WireError) -> [Scalar] {
        guard dtype == Scalar.wireDType else {
            throw .dtypeMismatch(field: "tensor", expected: Scalar.wireDType, actual: dtype)
        }
        return [Scalar](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: source)
            }
            initialized = elementCount
        }
    }

    /// The elements of a `b1` tensor in C order, reading any nonzero byte as true.
    public func bools() throws(WireError) -> [Bool] {
        guard dtype == .bool else { throw .dtypeMismatch(field: "tensor", expected: .bool, actual: dtype) }
        return bytes.map { $0 != 0 }
    }

    /// `dtype.byteWidth × product(shape)`, or `nil` when a dimension is negative or the product overflows.
    static func byteCount(dtype: DType, shape: [Int]) -> Int? {
        guard let elements = checkedProduct(shape) else { return nil }
        let (bytes, overflow) = elements.multipliedReportingOverflow(by: dtype.byteWidth)
        return overflow ? nil : bytes
    }
}

/// A numeric element type with a wire dtype whose in-memory layout is its little-endian wire layout.
///
/// `Bool` is deliberately not one: a received `b1` byte may be any value, which is not a valid Swift `Bool`,
/// so booleans go through `WireTensor.init(shape:bools:)` and `WireTensor.bools()` instead.
public protocol WireScalar: BitwiseCopyable, Sendable {
    static var wireDType: WireTensor.DType { get }
}

extension Float: WireScalar {
    public static var wireDType: WireTensor.DType { .float32 }
}

extension Int32: WireScalar {
    public static var wireDType: WireTensor.DType { .int32 }
}

extension Int64: WireScalar {
    public static var wireDType: WireTensor.DType { .int64 }
}

extension UInt8: WireScalar {
    public static var wireDType: WireTensor.DType { .uint8 }
}
