/// The element type of an ``NDArray``: Maze observations and actions are float32 or integer arrays.
public enum DType: String, Sendable, Hashable, Codable {
    case float32
    case int64
}

/// A small n-dimensional array of `Float` or `Int` values in C order, the value of one observation or
/// action entry.
///
/// It is a plain value type (two Swift arrays), so copying is cheap and mutation in place does not
/// allocate when the storage is uniquely referenced.
public struct NDArray: Sendable, Hashable {
    /// The typed element storage.
    public enum Storage: Sendable, Hashable {
        case float32([Float])
        case int64([Int])
    }

    /// The dimensions, outermost first; `[]` is a scalar.
    public var shape: [Int]
    /// The elements in C order.
    public var storage: Storage

    /// A float array; `shape` defaults to a vector of all values.
    public init(floats: [Float], shape: [Int]? = nil) {
        self.shape = shape ?? [floats.count]
        self.storage = .float32(floats)
    }

    /// An integer array; `shape` defaults to a vector of all values.
    public init(ints: [Int], shape: [Int]? = nil) {
        self.shape = shape ?? [ints.count]
        self.storage = .int64(ints)
    }

    /// A zero-filled array of the given type and shape.
    public init(zeros dtype: DType, shape: [Int]) {
        let count = shape.reduce(1, *)
        self.shape = shape
        switch dtype {
        case .float32: storage = .float32([Float](repeating: 0, count: count))
        case .int64: storage = .int64([Int](repeating: 0, count: count))
        }
    }

    /// A scalar integer (a Discrete action, for example).
    public static func scalar(_ value: Int) -> NDArray { NDArray(ints: [value], shape: []) }
    /// A scalar float.
    public static func scalar(_ value: Float) -> NDArray { NDArray(floats: [value], shape: []) }

    /// The element type.
    public var dtype: DType {
        switch storage {
        case .float32: .float32
        case .int64: .int64
        }
    }

    /// The number of elements.
    public var count: Int {
        switch storage {
        case .float32(let values): values.count
        case .int64(let values): values.count
        }
    }

    /// The elements as floats (integers converted).
    public var floats: [Float] {
        switch storage {
        case .float32(let values): values
        case .int64(let values): values.map(Float.init)
        }
    }

    /// The elements as integers (floats truncated toward zero).
    public var ints: [Int] {
        switch storage {
        case .float32(let values): values.map { Int($0) }
        case .int64(let values): values
        }
    }

    /// Element `index` as a float.
    public func float(at index: Int) -> Float {
        switch storage {
        case .float32(let values): values[index]
        case .int64(let values): Float(values[index])
        }
    }

    /// Element `index` as an integer.
    public func int(at index: Int) -> Int {
        switch storage {
        case .float32(let values): Int(values[index])
        case .int64(let values): values[index]
        }
    }

    /// Writes the elements, converted to `Float`, to `destination` (which must hold `count` values).
    public func write(to destination: UnsafeMutableBufferPointer<Float>) {
        switch storage {
        case .float32(let values):
            for index in values.indices { destination[index] = values[index] }
        case .int64(let values):
            for index in values.indices { destination[index] = Float(values[index]) }
        }
    }

    /// Overwrites the elements from `source` (converted to the array's type) without reallocating.
    public mutating func assign(from source: UnsafeBufferPointer<Float>) {
        switch storage {
        case .float32(var values):
            storage = .int64([])  // drop the second reference so the write below happens in place
            for index in values.indices { values[index] = source[index] }
            storage = .float32(values)
        case .int64(var values):
            storage = .float32([])
            for index in values.indices { values[index] = Int(source[index].rounded(.down)) }
            storage = .int64(values)
        }
    }
}
