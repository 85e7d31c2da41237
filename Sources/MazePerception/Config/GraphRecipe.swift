import MazeConfig

/// A custom network as Maze's `InferenceBlock` describes one: named blocks, each reading tensors by
/// key (observations or earlier blocks' outputs, `in_keys`) and writing one (`out_keys`), in order;
/// the network's output is the tensor `out_keys`, flattened, which feeds the heads. In a critic's network,
/// `shared_embedding_keys` lists block outputs computed with the parameters of the policy's same-named
/// blocks (the policy network must have them, with the same shapes).
///
///     networks:
///       - _target_: maze.perception.blocks.inference.InferenceBlock
///         out_keys: latent
///         perception_blocks:
///           screen_embedding: {_target_: VGGConvolutionDenseBlock, in_keys: screen, out_keys: screen_feat, hidden_channels: [8, 16], hidden_units: [32], non_lin: ReLU}
///           latent: {_target_: ConcatenationBlock, in_keys: [screen_feat, inventory], out_keys: latent, concat_dim: -1}
public struct GraphRecipe: Sendable, Hashable {
    /// One block of the graph.
    public struct Node: Sendable, Hashable {
        /// The block's name, the prefix of its parameters inside the network.
        public var name: String
        public var block: BlockRecipe
        /// The tensors the block reads, in order.
        public var inKeys: [String]
        /// The tensor it writes.
        public var outKey: String

        public init(name: String, block: BlockRecipe, inKeys: [String], outKey: String) {
            self.name = name
            self.block = block
            self.inKeys = inKeys
            self.outKey = outKey
        }
    }

    /// The blocks in evaluation order.
    public var nodes: [Node]
    /// The tensor the network outputs.
    public var outKey: String

    public init(nodes: [Node], outKey: String) {
        self.nodes = nodes
        self.outKey = outKey
    }

    /// The trunk of an `InferenceBlock` network entry; its optional `shared_embedding_keys` name block
    /// outputs that a critic computes with its policy's parameters.
    static func trunk(config: ConfigSection, blocks: ComponentRegistry<BlockRecipe>) throws -> TrunkRecipe {
        var shared = Set<String>()
        if let keys = config.nonNull("shared_embedding_keys") { shared = Set(try keys.strings()) }
        return TrunkRecipe(sharedEmbeddingKeys: shared, graph: try GraphRecipe(config: config, blocks: blocks))
    }

    /// Reads an `InferenceBlock` section (`perception_blocks`, `out_keys`), building blocks from `blocks`.
    init(config: ConfigSection, blocks: ComponentRegistry<BlockRecipe>) throws {
        try config.refuseKeys(otherThan: ["_target_", "perception_blocks", "out_keys", "shared_embedding_keys"])
        nodes = try config.section("perception_blocks").entries().map { entry in
            guard let name = entry.key else {
                throw PerceptionError.invalidConfiguration("\(entry.dottedPath): a block needs a name")
            }
            let outKeys = try Self.keys(entry.section("out_keys"))
            guard outKeys.count == 1 else {
                throw PerceptionError.invalidConfiguration(
                    "\(entry.dottedPath).out_keys: each block writes exactly one tensor, got \(outKeys)")
            }
            return Node(
                name: name, block: try blocks.make(from: entry), inKeys: try Self.keys(entry.section("in_keys")),
                outKey: outKeys[0])
        }
        guard !nodes.isEmpty else {
            throw PerceptionError.invalidConfiguration("\(config.dottedPath).perception_blocks is empty")
        }
        let outKeys = try Self.keys(config.section("out_keys"))
        guard outKeys.count == 1 else {
            throw PerceptionError.invalidConfiguration(
                "\(config.dottedPath).out_keys: a network outputs one tensor, got \(outKeys)")
        }
        outKey = outKeys[0]
    }

    /// `key` or `[key, …]`.
    private static func keys(_ section: ConfigSection) throws -> [String] {
        if case .list = section.node { return try section.strings() }
        return [try section.string()]
    }
}
