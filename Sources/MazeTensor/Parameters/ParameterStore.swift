import CMazeKernels

/// Named tensors (parameters, their gradients, optimizer moments) in a stable order: sorted by name.
///
/// The order defines the flat vector layout used to broadcast weights as one blob, so a learner and its
/// actors agree on it without exchanging anything but the names' structure.
public struct ParameterStore: Sendable, Equatable, Codable {
    private var tensors: [String: Tensor]
    /// The keys of `tensors` in the stable order, kept up to date as names come and go: a learner reads them on every
    /// pass, and sorting them each time would allocate.
    private var sortedNames: [String]

    private enum CodingKeys: String, CodingKey { case tensors }

    /// A store holding `tensors` under their names.
    public init(_ tensors: [String: Tensor] = [:]) {
        self.tensors = tensors
        sortedNames = tensors.keys.sorted(by: Self.precedes)
    }

    /// Decoded like a constructed store (its names are sorted once).
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.container(keyedBy: CodingKeys.self).decode([String: Tensor].self, forKey: .tensors))
    }

    /// Names in the stable order: ascending by Unicode scalar values (byte order of UTF-8).
    public var names: [String] { sortedNames }

    /// UTF-8 bytes sort as the scalars they encode, and compare without decoding.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// The tensor called `name`, if any; assigning `nil` removes it.
    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set {
            if let newValue {
                if tensors.updateValue(newValue, forKey: name) == nil { insertName(name) }
            } else if tensors.removeValue(forKey: name) != nil, let index = sortedNames.firstIndex(of: name) {
                sortedNames.remove(at: index)
            }
        }
    }

    /// Adds a new key of `tensors` to `sortedNames`, in order.
    private mutating func insertName(_ name: String) {
        let index = sortedNames.firstIndex { Self.precedes(name, $0) } ?? sortedNames.count
        sortedNames.insert(name, at: index)
    }

    /// The tensor called `name`, or `TensorError.missingParameter`.
    public func tensor(named name: String) throws(TensorError) -> Tensor {
        guard let tensor = tensors[name] else { throw .missingParameter(name) }
        return tensor
    }

    /// Total number of scalars over all tensors.
    public var scalarCount: Int {
        tensors.values.reduce(0) { $0 + $1.scalarCount }
    }

    /// All scalars in one vector: each tensor's row-major scalars, tensors in `names` order.
    public func flattened() -> [Float] {
        var flat: [Float] = []
        flat.reserveCapacity(scalarCount)
        for name in names { flat += tensors[name]!.scalars }
        return flat
    }

    /// Overwrites every tensor from a vector laid out as `flattened()`; shapes are kept.
    public mutating func assignFlattened(_ flat: [Float]) throws(TensorError) {
        guard flat.count == scalarCount else {
            throw .invalidArgument("flat parameter vector has \(flat.count) scalars, the store holds \(scalarCount)")
        }
        var offset = 0
        for name in names {
            let shape = tensors[name]!.shape
            let count = Shape.count(shape)
            tensors[name] = Tensor(uncheckedShape: shape, scalars: Array(flat[offset..<(offset + count)]))
            offset += count
        }
    }
}

extension ParameterStore {
    /// Makes this store equal to `source` by copying its scalars into the storage already held under the same name
    /// and shape (a new copy otherwise, never storage shared with `source`): a snapshot refreshed before every update
    /// allocates nothing once it holds the shapes, and writing `source` afterwards copies nothing.
    public mutating func overwrite(with source: ParameterStore) {
        for name in names where source.tensors[name] == nil { self[name] = nil }
        for (name, tensor) in source.tensors {
            if tensors[name]?.shape == tensor.shape {
                tensor.withUnsafeScalars { from in
                    tensors[name]!.withUnsafeMutableScalars { _ = $0.update(fromContentsOf: from) }
                }
            } else {
                self[name] = Tensor(uncheckedShape: tensor.shape, scalars: tensor.withUnsafeScalars { Array($0) })
            }
        }
    }

    /// Lets `body` write the scalars of `name` in place, creating a zero tensor of `shape` first if absent.
    mutating func withMutableScalars<R>(of name: String, shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> R)
        -> R
    {
        if tensors[name] == nil { insertName(name) }
        return tensors[
            name, default: Tensor(uncheckedShape: shape, scalars: [Float](repeating: 0, count: Shape.count(shape)))
        ].withUnsafeMutableScalars { body($0) }
    }

    /// Scales every tensor so that their joint L2 norm is at most `maxNorm` (gradient clipping as in
    /// `torch.nn.utils.clip_grad_norm_`), and returns the norm before scaling.
    @discardableResult
    public mutating func clipGlobalNorm(to maxNorm: Float) -> Float {
        clipGlobalNorm(to: maxNorm, of: names)
    }

    /// Like ``clipGlobalNorm(to:)`` over the tensors `names` only (a parameter group, such as the critic's),
    /// in place; absent names are skipped. `include` narrows the group further without a filtered copy of `names`.
    @discardableResult
    public mutating func clipGlobalNorm(
        to maxNorm: Float, of names: [String], where include: (String) -> Bool = { _ in true }
    ) -> Float {
        var squares: Double = 0
        for name in names where include(name) {
            tensors[name]?.withUnsafeScalars { squares += maze_sum_of_squares($0.baseAddress, $0.count) }
        }
        let norm = Float(squares.squareRoot())
        let scale = maxNorm / (norm + 1e-6)
        if scale < 1 {
            for name in names where include(name) {
                // Moved out and back: scaling it through the dictionary's subscript would allocate a coroutine frame.
                guard var tensor = tensors.removeValue(forKey: name) else { continue }
                tensor.withUnsafeMutableScalars { scalars in
                    for index in scalars.indices { scalars[index] *= scale }
                }
                tensors[name] = tensor
            }
        }
        return norm
    }
}
