import MazeCore
import MazeTensor

/// Turns trunk recipes into concrete networks once the spaces are known, naming every parameter
/// under the network's prefix: `<prefix>.<observation key>` per key block, `<prefix>.body`,
/// `<prefix>.<action key>` or `<prefix>.value` per head.
enum NetworkFactory {
    /// Gain of policy heads: near-zero logits make the initial policy almost uniform.
    static let policyHeadGain: Float = 0.01
    /// Gain of value heads.
    static let valueHeadGain: Float = 1

    /// The network reading `inputs` (key, width) from rows of `layout`, with `trunk` and the given heads.
    /// `shapes` gives each key's per-sample shape (a key without one is read as a vector).
    static func network(
        prefix: String, trunk: TrunkRecipe, inputs: [(key: String, width: Int)], shapes: [String: [Int]], layout: ObservationLayout,
        heads: [(name: String, width: Int)], headGain: Float
    ) throws -> PerceptionNetwork {
        var branches: [PerceptionNetwork.Branch] = []
        // Keys without a block of their own are concatenated into one branch that goes straight on.
        var plain: [(key: String, width: Int)] = []
        for input in inputs {
            guard let recipe = trunk.keyBlocks[input.key] ?? trunk.defaultKeyBlock else {
                plain.append(input)
                continue
            }
            // A DenseBlock reads the key flattened (as the template models always have); other blocks read it
            // in its own shape (an image [C, H, W], a set [N, F]). Scalars are vectors of one.
            let ownShape = shapes[input.key].flatMap { $0.isEmpty ? nil : $0 } ?? [input.width]
            let shape = recipe.type == "DenseBlock" ? [input.width] : ownShape
            let block = try recipe.block(name: "\(prefix).\(input.key)", inputShapes: [shape])
            branches.append(.init(input: try FlattenConcatBlock(keys: [input], layout: layout), block: .init(inputShape: shape, block: block)))
        }
        if !plain.isEmpty {
            branches.append(.init(input: try FlattenConcatBlock(keys: plain, layout: layout), block: nil))
        }
        var width = PerceptionNetwork.concatenatedWidth(of: branches)
        var body: PerceptionNetwork.BranchBlock?
        if let recipe = trunk.body {
            let block = PerceptionNetwork.BranchBlock(inputShape: [width], block: try recipe.block(name: "\(prefix).body", inputShapes: [[width]]))
            width = block.outputs
            body = block
        }
        let linears = try heads.map { try Linear(name: "\(prefix).\($0.name)", inputs: width, outputs: $0.width) }
        return try PerceptionNetwork(name: prefix, branches: branches, body: body, heads: linears, headGain: headGain)
    }
}
