import MazeTensor

/// A custom network's blocks wired by key (see `GraphRecipe`), as one block: its single input is the
/// concatenated flat columns of the observation keys it reads, which it cuts apart and reshapes to
/// each key's own shape; its output is the graph's output tensor.
struct BlockGraph: PerceptionBlock {
    /// One observation the graph reads: its columns in the input and its per-sample shape.
    struct Source: Sendable {
        let key: String
        let columns: Range<Int>
        let shape: [Int]
    }

    /// One block and its wiring.
    struct Node: Sendable {
        let block: any PerceptionBlock
        let inKeys: [String]
        let outKey: String
    }

    let sources: [Source]
    let nodes: [Node]
    let outKey: String
    let outputShape: [Int]

    /// The observation keys read, in input column order.
    var observationKeys: [String] { sources.map(\.key) }

    /// Builds the blocks of `recipe` named `<prefix>.<block name>` (or `<sharedPrefix>.<block name>` for
    /// blocks whose output is in `sharedKeys`), reading observations of the given per-sample `shapes`.
    init(
        recipe: GraphRecipe, prefix: String, shapes: [(key: String, shape: [Int])], sharedPrefix: String? = nil,
        sharedKeys: Set<String> = []
    ) throws {
        if let unknown = sharedKeys.subtracting(recipe.nodes.map(\.outKey)).sorted().first {
            throw PerceptionError.invalidConfiguration(
                "shared_embedding_keys: '\(unknown)' is not written by any block of the network")
        }
        var available = Dictionary(
            shapes.map { ($0.key, $0.shape.isEmpty ? [1] : $0.shape) }, uniquingKeysWith: { first, _ in first })
        var observed = Set<String>()
        var nodes: [Node] = []
        for node in recipe.nodes {
            let inputShapes = try node.inKeys.map { key in
                guard let shape = available[key] else {
                    throw PerceptionError.invalidConfiguration(
                        "block '\(node.name)' reads '\(key)', which is neither an observation nor an earlier block's output (have: \(available.keys.sorted()))"
                    )
                }
                if shapes.contains(where: { $0.key == key }) { observed.insert(key) }
                return shape
            }
            let owner = sharedKeys.contains(node.outKey) ? (sharedPrefix ?? prefix) : prefix
            let block = try node.block.block(name: "\(owner).\(node.name)", inputShapes: inputShapes)
            available[node.outKey] = block.outputShape
            nodes.append(Node(block: block, inKeys: node.inKeys, outKey: node.outKey))
        }
        guard let output = available[recipe.outKey], nodes.contains(where: { $0.outKey == recipe.outKey }) else {
            throw PerceptionError.invalidConfiguration(
                "the network's out_keys '\(recipe.outKey)' is not written by any of its blocks")
        }
        var offset = 0
        sources = shapes.filter { observed.contains($0.key) }.map { key, shape in
            let width = shape.reduce(1, *)
            defer { offset += width }
            return Source(key: key, columns: offset..<(offset + width), shape: shape.isEmpty ? [1] : shape)
        }
        self.nodes = nodes
        outKey = recipe.outKey
        outputShape = output
    }

    /// Width of the concatenated observation columns the graph reads.
    var inputWidth: Int { sources.last?.columns.upperBound ?? 0 }

    func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        for node in nodes { try node.block.initialize(&parameters, using: &generator) }
    }

    func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "network", count: 1...1)
        let rows = inputs[0]
        let batch = rows.shape[0]
        var tensors: [String: Variable] = [:]
        for source in sources {
            tensors[source.key] = try rows.slice(alongAxis: 1, source.columns).reshaped(to: [batch] + source.shape)
        }
        for node in nodes {
            let arguments = try node.inKeys.map { key in
                guard let tensor = tensors[key] else {
                    throw PerceptionError.invalidConfiguration("tensor '\(key)' is not available")
                }
                return tensor
            }
            tensors[node.outKey] = try node.block(arguments, parameters)
        }
        guard let output = tensors[outKey] else {
            throw PerceptionError.invalidConfiguration("tensor '\(outKey)' is not available")
        }
        return output
    }
}
