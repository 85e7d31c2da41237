/// An n-dimensional array of `Int32` indices (taken actions, class labels) for `gather`.
public struct IndexTensor: Sendable, Equatable, Hashable, Codable {
    public let shape: [Int]
    public let indices: [Int32]

    public init(shape: [Int], indices: [Int32]) throws(TensorError) {
        try Shape.validate(shape)
        guard Shape.count(shape) == indices.count else {
            throw .scalarCountMismatch(shape: shape, count: indices.count)
        }
        self.shape = shape
        self.indices = indices
    }

    private enum CodingKeys: String, CodingKey { case shape, indices }

    /// Decoding validates the shape, as the initialiser does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(shape: container.decode([Int].self, forKey: .shape), indices: container.decode([Int32].self, forKey: .indices))
    }
}

/// An n-dimensional array of booleans selecting elements in `where` and masked fills (action masks).
public struct Mask: Sendable, Equatable, Hashable, Codable {
    public let shape: [Int]
    public let values: [Bool]

    public init(shape: [Int], values: [Bool]) throws(TensorError) {
        try Shape.validate(shape)
        guard Shape.count(shape) == values.count else {
            throw .scalarCountMismatch(shape: shape, count: values.count)
        }
        self.shape = shape
        self.values = values
    }

    private enum CodingKeys: String, CodingKey { case shape, values }

    /// Decoding validates the shape, as the initialiser does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(shape: container.decode([Int].self, forKey: .shape), values: container.decode([Bool].self, forKey: .values))
    }
}
