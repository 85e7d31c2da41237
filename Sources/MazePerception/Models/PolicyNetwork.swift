import MazeCore
import MazeTensor

/// The policy of one sub-step: a network from flat observation rows to the concatenated parameters
/// ("logits") of every action key's distribution, and the mapping from those to a `DictDistribution`
/// with the step's action masks applied.
public struct PolicyNetwork: Sendable {
    /// The network; its outputs are the heads' parameters in action-space order.
    public let network: PerceptionNetwork
    /// One distribution head per action key, in the action space's order.
    public let heads: [ActionHead]
    /// Masks read from the observation, by action key.
    public let masks: [ActionMaskBinding]
    /// Columns of a flat observation row.
    public let observationWidth: Int
    /// The heads' keys, kept for the distributions built on every training step.
    private let actionKeys: [String]

    public init(network: PerceptionNetwork, heads: [ActionHead], masks: [ActionMaskBinding], observationWidth: Int)
        throws
    {
        guard network.outputs == heads.reduce(0, { $0 + $1.parameterWidth }) else {
            throw PerceptionError.invalidConfiguration(
                "policy '\(network.name)' outputs \(network.outputs) columns, its heads need \(heads.reduce(0) { $0 + $1.parameterWidth })"
            )
        }
        for binding in masks {
            guard let head = heads.first(where: { $0.key == binding.actionKey }), head.acceptsMask,
                head.parameterWidth == binding.columns.count
            else {
                throw PerceptionError.invalidConfiguration(
                    "mask '\(binding.observationKey)' (\(binding.columns.count) entries) cannot mask action '\(binding.actionKey)'"
                )
            }
        }
        self.network = network
        self.heads = heads
        self.masks = masks
        self.observationWidth = observationWidth
        actionKeys = heads.map(\.key)
    }

    /// Columns of a flat action row.
    public var actionWidth: Int { heads.reduce(0) { $0 + $1.actionWidth } }
    /// Columns of the logits.
    public var logitsWidth: Int { network.outputs }

    /// The distribution given `[batch, logitsWidth]` logits (from this network, now or when acting)
    /// and the observations they were computed from (for the masks).
    public func distribution(logits: Variable, observations: Tensor) throws -> DictDistribution {
        try checkShapes(logits: logits.shape, observations: observations.shape)
        var components: [any ActionDistribution] = []
        components.reserveCapacity(heads.count)
        var offset = 0
        for head in heads {
            let parameters = try logits.columns(offset..<(offset + head.parameterWidth))
            let mask = try masks.first { $0.actionKey == head.key }.map {
                try Self.mask($0.columns, from: observations)
            }
            components.append(try head.distribution(parameters: parameters, mask: mask))
            offset += head.parameterWidth
        }
        return try DictDistribution(keys: actionKeys, components: components)
    }

    /// `log π(a|s)` of `[batch, actionWidth]` `actions` and the entropy of each row's distribution, `[batch]` each, on
    /// the tape of `logits`: what the actor-critic losses are built from. Unmasked categorical heads (the Discrete
    /// actions of most envs) are evaluated as ``CategoricalDistribution``s directly, with the same arithmetic and
    /// graph as through `distribution` (whose list of `any ActionDistribution` and the box of each would be allocated
    /// on every training step); everything else goes through `distribution`.
    public func logProbsAndEntropies(logits: Variable, observations: Tensor, actions: Tensor) throws
        -> (logProbs: Variable, entropies: Variable)
    {
        guard hasOnlyUnmaskedCategoricals else {
            let distribution = try distribution(logits: logits, observations: observations)
            return (try distribution.logProb(actions), try distribution.entropy())
        }
        try checkShapes(logits: logits.shape, observations: observations.shape)
        guard actions.shape.count == 2, actions.shape[0] == logits.shape[0], actions.shape[1] == heads.count else {
            throw PerceptionError.batchMismatch(
                "actions have shape \(actions.shape), the distribution expects [\(logits.shape[0]), \(heads.count)]")
        }
        var total: (logProbs: Variable, entropies: Variable)?
        var offset = 0
        for (index, head) in heads.enumerated() {
            let categorical = try CategoricalDistribution(
                logits: logits.columns(offset..<(offset + head.parameterWidth)))
            offset += head.parameterWidth
            let logProbs = try categorical.logProb(actions.columns(index..<(index + 1)))
            let entropies = try categorical.entropy()
            if let sum = total {
                total = (try sum.logProbs + logProbs, try sum.entropies + entropies)
            } else {
                total = (logProbs, entropies)
            }
        }
        guard let total else { throw PerceptionError.invalidConfiguration("policy '\(network.name)' has no heads") }
        return total
    }

    /// Whether every head is categorical and none is masked: the heads the tape-free `decide` and the
    /// distribution-free `logProbsAndEntropies` cover.
    private var hasOnlyUnmaskedCategoricals: Bool {
        masks.isEmpty && heads.allSatisfy { $0.kind == .categorical }
    }

    /// Actions for `[batch, logitsWidth]` logits computed from `observations` — sampled from `random`, or each
    /// distribution's mode when `deterministic` — with their log-probabilities: the distribution's `sample` (or
    /// `mode`) and `logProb` without recording gradients.
    ///
    /// Unmasked categorical heads (the Discrete actions of most envs) take a tape-free path with the same
    /// arithmetic and the same random draws; everything else goes through `distribution` on a scratch tape.
    public func decide(
        logits: Tensor, observations: Tensor, deterministic: Bool, random: inout MazeRandom
    ) throws -> (actions: Tensor, logProbs: [Float]) {
        guard hasOnlyUnmaskedCategoricals else {
            let distribution = try distribution(logits: Tape().constant(logits), observations: observations)
            let actions = deterministic ? try distribution.mode() : try distribution.sample(using: &random)
            return (actions, try distribution.logProb(actions).value.scalars)
        }
        try checkShapes(logits: logits.shape, observations: observations.shape)
        var parts: [Tensor] = []
        var logProbs: [Float] = []
        var offset = 0
        for head in heads {
            let logProbabilities = try logits.columns(offset..<(offset + head.parameterWidth)).logSoftmax(alongAxis: 1)
            let actions =
                deterministic
                ? try CategoricalDistribution.mode(logProbabilities: logProbabilities, mask: nil)
                : try CategoricalDistribution.sample(logProbabilities: logProbabilities, mask: nil, using: &random)
            let headLogProbs = CategoricalDistribution.logProbs(of: actions, in: logProbabilities)
            // Summed over heads in head order, as the joint distribution's logProb adds its factors.
            logProbs = parts.isEmpty ? headLogProbs : zip(logProbs, headLogProbs).map { $0 + $1 }
            parts.append(actions)
            offset += head.parameterWidth
        }
        return (try Tensor.concatenatingColumns(parts), logProbs)
    }

    private func checkShapes(logits: [Int], observations: [Int]) throws {
        guard logits.count == 2, logits[1] == logitsWidth, observations == [logits[0], observationWidth] else {
            throw PerceptionError.batchMismatch(
                "logits \(logits) and observations \(observations) do not fit [batch, \(logitsWidth)] / [batch, \(observationWidth)]"
            )
        }
    }

    /// `true` where the observation's mask entry is above one half.
    private static func mask(_ columns: Range<Int>, from observations: Tensor) throws -> Mask {
        let flags = try observations.columns(columns).scalars.map { $0 > 0.5 }
        return try Mask(shape: [observations.shape[0], columns.count], elements: flags)
    }
}
