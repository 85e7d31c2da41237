/// An immutable n-dimensional array of non-float elements that accompanies tensors:
/// indices for `gather` and masks for `select`/`maskedFill`.
public struct ShapedArray<Element: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// The elements in row-major order.
    public let elements: [Element]

    /// Throws unless `elements` has exactly as many entries as `shape` describes.
    public init(shape: [Int], elements: [Element]) throws(TensorError) {
        try Shape.validate(shape, count: elements.count)
        self.shape = shape
        self.elements = elements
    }

    private enum CodingKeys: String, CodingKey { case shape, elements }

    /// Decoding validates the shape, as the initialiser does.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            shape: container.decode([Int].self, forKey: .shape),
            elements: container.decode([Element].self, forKey: .elements))
    }
}

/// Integer indices (taken actions, class labels) for `gather`.
public typealias IndexTensor = ShapedArray<Int32>

/// Booleans selecting elements in `select` and `maskedFill` (action masks).
public typealias Mask = ShapedArray<Bool>
