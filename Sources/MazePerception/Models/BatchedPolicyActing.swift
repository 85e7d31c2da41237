import Foundation
import MazeCore
import MazeTensor

/// A feed-forward policy's decisions for a fixed number of rows (a worker's envs), computed in buffers made once:
/// the dense forward pass (observation columns, dense blocks, heads) straight into caller memory through the
/// tensor path's own product (`sgemv` per row up to 4 rows, `cblas_sgemm` above), then a log-softmax and a draw per
/// categorical head and row. An actor runs it every env step, and after `init` it allocates nothing, where ``ActorCriticModel/decide(step:observations:deterministic:random:)``
/// builds a tensor per layer and per head. The arithmetic and the random draws are that path's, so both choose the
/// same actions with the same log-probabilities and logits.
///
/// It covers the policies most envs get, and ``init(policy:rows:)`` returns `nil` for the others (which act through
/// `ActorCriticModel.decide`): no recurrent state; input branches that read observation columns, each optionally
/// through a `DenseBlock` on flat columns; an optional `DenseBlock` body; categorical heads only (Discrete actions),
/// without action masks.
///
/// The buffers are scratch shared by copies of a value: use one value on one thread at a time (an actor's).
package struct BatchedPolicyActing {
    /// Dense layers applied in order, with their parameters' names (looked up once per pass).
    private struct DenseLayers {
        let layers: [Linear]
        let weightNames: [String]
        let biasNames: [String]

        init(_ layers: [Linear]) {
            self.layers = layers
            weightNames = layers.map(\.weightName)
            biasNames = layers.map(\.biasName)
        }

        var widest: Int { layers.map(\.outputs).max() ?? 0 }
    }

    /// One input branch: the observation columns it selects (`nil`: zeros) and its dense block, if any.
    private struct Branch {
        let sources: [(columns: Range<Int>?, width: Int)]
        /// Whether the selection is the observation row itself.
        let selectsWholeRows: Bool
        let block: DenseLayers?
        let outputs: Int
    }

    /// The rows every pass decides for.
    package let rows: Int
    private let observationWidth: Int
    private let branches: [Branch]
    private let embeddingWidth: Int
    private let body: DenseLayers?
    private let heads: DenseLayers
    /// The categories of each categorical action head, in head order (one action column each).
    private let categoryCounts: [Int]
    private let logitsWidth: Int
    private let buffers: Buffers

    /// The acting path of `policy` for `rows` rows, or `nil` when the policy is not one this type covers.
    package init?(policy: PolicyNetwork, rows: Int) {
        let network = policy.network
        guard rows > 0, network.recurrence == nil, policy.masks.isEmpty,
            policy.heads.allSatisfy({ $0.kind == .categorical }),
            policy.heads.allSatisfy({ if case .discrete = $0.space { true } else { false } })
        else { return nil }
        var branches: [Branch] = []
        for branch in network.branches {
            guard let block = Self.flatDenseLayers(branch.block) else { return nil }
            let input = branch.input
            let wholeRows = input.sources.count == 1 && input.sources[0].columns == 0..<input.rowWidth
            branches.append(
                Branch(
                    sources: input.sources.map { ($0.columns, $0.width) }, selectsWholeRows: wholeRows,
                    block: block.isEmpty ? nil : DenseLayers(block), outputs: block.last?.outputs ?? input.outputs))
        }
        guard let body = Self.flatDenseLayers(network.body) else { return nil }
        self.rows = rows
        observationWidth = policy.observationWidth
        self.branches = branches
        embeddingWidth = branches.reduce(0) { $0 + $1.outputs }
        self.body = body.isEmpty ? nil : DenseLayers(body)
        heads = DenseLayers(network.heads)
        categoryCounts = policy.heads.map(\.parameterWidth)
        logitsWidth = policy.logitsWidth
        let selectionWidth = branches.map { $0.sources.reduce(0) { $0 + $1.width } }.max() ?? 0
        let layerWidth = ([heads.widest, self.body?.widest ?? 0] + branches.map { $0.block?.widest ?? 0 }).max() ?? 0
        buffers = Buffers(
            rows: rows, selectionWidth: selectionWidth, layerWidth: layerWidth, embeddingWidth: embeddingWidth,
            categories: categoryCounts.max() ?? 0)
    }

    /// The layers of `block` when it is a `DenseBlock` on flat columns (`[]` without a block), else `nil`.
    private static func flatDenseLayers(_ block: PerceptionNetwork.BranchBlock?) -> [Linear]? {
        guard let block else { return [] }
        guard let dense = block.block as? DenseBlock, block.inputShape.count == 1 else { return nil }
        return dense.layers.layers
    }

    /// Decides for `observations` (`rows × observationWidth`) with `parameters`: writes the actions
    /// (`rows × actionWidth`, a category index per head), their log-probabilities (`rows`) and the logits
    /// (`rows × logitsWidth`), sampled from `random` or each distribution's mode when `deterministic`.
    package func decide(
        observations: UnsafeBufferPointer<Float>, parameters: ParameterStore, deterministic: Bool,
        random: inout MazeRandom, actions: UnsafeMutableBufferPointer<Float>,
        logProbs: UnsafeMutableBufferPointer<Float>, logits: UnsafeMutableBufferPointer<Float>
    ) throws {
        guard observations.count == rows * observationWidth, actions.count == rows * categoryCounts.count,
            logProbs.count == rows, logits.count == rows * logitsWidth, let input = observations.baseAddress,
            let logitRows = logits.baseAddress
        else {
            throw PerceptionError.batchMismatch(
                "acting on \(rows) rows takes \(rows * observationWidth) observations, \(rows * categoryCounts.count) "
                    + "actions, \(rows) log-probabilities and \(rows * logitsWidth) logits; got \(observations.count), "
                    + "\(actions.count), \(logProbs.count) and \(logits.count)")
        }
        var hidden = try embed(input, parameters)
        if let body { hidden = try apply(body, to: hidden, width: embeddingWidth, parameters) }
        try writeLogits(from: hidden, into: logitRows, parameters)
        try choose(
            logits: UnsafeBufferPointer(logits), deterministic: deterministic, random: &random, actions: actions,
            logProbs: logProbs)
    }

    /// The concatenated branch outputs (`rows × embeddingWidth`); the observations themselves when the only branch
    /// reads them whole.
    private func embed(_ observations: UnsafePointer<Float>, _ parameters: ParameterStore) throws
        -> UnsafePointer<Float>
    {
        if branches.count == 1, branches[0].selectsWholeRows, branches[0].block == nil {
            return observations
        }
        var offset = 0
        for branch in branches {
            var selected = observations
            var width = observationWidth
            if !branch.selectsWholeRows {
                width = select(branch, from: observations)
                selected = UnsafePointer(buffers.selection.baseAddress!)
            }
            if let block = branch.block {
                selected = try apply(block, to: selected, width: width, parameters)
                width = branch.outputs
            }
            let embedding = buffers.embedding.baseAddress!
            for row in 0..<rows {
                (embedding + row * embeddingWidth + offset).update(from: selected + row * width, count: width)
            }
            offset += branch.outputs
        }
        return UnsafePointer(buffers.embedding.baseAddress!)
    }

    /// Copies `branch`'s columns of every observation row (zeros for keys the rows lack) into the selection
    /// buffer and returns their width.
    private func select(_ branch: Branch, from observations: UnsafePointer<Float>) -> Int {
        let width = branch.sources.reduce(0) { $0 + $1.width }
        let selection = buffers.selection.baseAddress!
        for row in 0..<rows {
            var column = row * width
            for source in branch.sources {
                if let columns = source.columns {
                    (selection + column).update(
                        from: observations + row * observationWidth + columns.lowerBound, count: source.width)
                } else {
                    (selection + column).update(repeating: 0, count: source.width)
                }
                column += source.width
            }
        }
        return width
    }

    /// `layers` applied to `input` (`rows × width`), alternating between the two layer buffers; returns the last
    /// output, which stays valid until the next application.
    private func apply(
        _ layers: DenseLayers, to input: UnsafePointer<Float>, width: Int, _ parameters: ParameterStore
    ) throws -> UnsafePointer<Float> {
        var current = input
        for index in layers.layers.indices {
            let output = index % 2 == 0 ? buffers.ping.baseAddress! : buffers.pong.baseAddress!
            try layers.layers[index].forward(
                current, rows: rows, weight: parameters.tensor(named: layers.weightNames[index]),
                bias: parameters.tensor(named: layers.biasNames[index]), into: output)
            current = UnsafePointer(output)
        }
        return current
    }

    /// The heads' outputs side by side: `rows × logitsWidth` into `logits`.
    private func writeLogits(
        from hidden: UnsafePointer<Float>, into logits: UnsafeMutablePointer<Float>, _ parameters: ParameterStore
    ) throws {
        var offset = 0
        for (index, head) in heads.layers.enumerated() {
            let weight = try parameters.tensor(named: heads.weightNames[index])
            let bias = try parameters.tensor(named: heads.biasNames[index])
            guard heads.layers.count > 1 else {
                try head.forward(hidden, rows: rows, weight: weight, bias: bias, into: logits)
                return
            }
            // Hidden is in one of the layer buffers or the embedding; the heads write the one it is not in.
            let output = hidden == UnsafePointer(buffers.ping.baseAddress!) ? buffers.pong : buffers.ping
            try head.forward(hidden, rows: rows, weight: weight, bias: bias, into: output.baseAddress!)
            for row in 0..<rows {
                (logits + row * logitsWidth + offset).update(
                    from: output.baseAddress! + row * head.outputs, count: head.outputs)
            }
            offset += head.outputs
        }
    }

    /// Each head's categorical choice per row, as `PolicyNetwork.decide` makes it: heads in order, rows in order,
    /// one `random.nextUnit()` per head and row when sampling; the log-probabilities summed over heads.
    private func choose(
        logits: UnsafeBufferPointer<Float>, deterministic: Bool, random: inout MazeRandom,
        actions: UnsafeMutableBufferPointer<Float>, logProbs: UnsafeMutableBufferPointer<Float>
    ) throws {
        var offset = 0
        for (head, categories) in categoryCounts.enumerated() {
            let logProbabilities = UnsafeMutableBufferPointer(rebasing: buffers.logProbabilities[0..<categories])
            let probabilities = UnsafeMutableBufferPointer(rebasing: buffers.probabilities[0..<categories])
            for row in 0..<rows {
                let start = row * logitsWidth + offset
                SoftmaxKernel.normalize(
                    UnsafeBufferPointer(rebasing: logits[start..<(start + categories)]), into: logProbabilities,
                    outer: 1, length: categories, inner: 1, logarithmic: true)
                for column in 0..<categories {
                    probabilities[column] = Foundation.exp(Double(logProbabilities[column]))
                }
                let line = UnsafeBufferPointer(probabilities)
                let index =
                    deterministic
                    ? CategoricalDistribution.modeIndex(line) { _ in true }
                    : CategoricalDistribution.sampleIndex(line, allowed: { _ in true }, using: &random)
                guard index >= 0 else {
                    throw PerceptionError.batchMismatch("row \(row) of the policy's logits gives no action a chance")
                }
                actions[row * categoryCounts.count + head] = Float(index)
                logProbs[row] = head == 0 ? logProbabilities[index] : logProbs[row] + logProbabilities[index]
            }
            offset += categories
        }
    }

    /// The scratch memory of the passes, allocated once.
    private final class Buffers {
        let selection: UnsafeMutableBufferPointer<Float>
        let ping: UnsafeMutableBufferPointer<Float>
        let pong: UnsafeMutableBufferPointer<Float>
        let embedding: UnsafeMutableBufferPointer<Float>
        /// One row's log-probabilities and probabilities of one head.
        let logProbabilities: UnsafeMutableBufferPointer<Float>
        let probabilities: UnsafeMutableBufferPointer<Double>

        init(rows: Int, selectionWidth: Int, layerWidth: Int, embeddingWidth: Int, categories: Int) {
            func floats(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
                let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(count, 1))
                buffer.initialize(repeating: 0)
                return buffer
            }
            selection = floats(rows * selectionWidth)
            ping = floats(rows * layerWidth)
            pong = floats(rows * layerWidth)
            embedding = floats(rows * embeddingWidth)
            logProbabilities = floats(categories)
            probabilities = .allocate(capacity: max(categories, 1))
            probabilities.initialize(repeating: 0)
        }

        deinit {
            for buffer in [selection, ping, pong, embedding, logProbabilities] { buffer.deallocate() }
            probabilities.deallocate()
        }
    }
}
