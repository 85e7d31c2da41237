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

    public init(network: PerceptionNetwork, heads: [ActionHead], masks: [ActionMaskBinding], observationWidth: Int) throws {
        guard network.outputs == heads.reduce(0, { $0 + $1.parameterWidth }) else {
            throw PerceptionError.invalidConfiguration("policy '\(network.name)' outputs \(network.outputs) columns, its heads need \(heads.reduce(0) { $0 + $1.parameterWidth })")
        }
        for binding in masks {
            guard let head = heads.first(where: { $0.key == binding.actionKey }), head.acceptsMask,
                head.parameterWidth == binding.columns.count
            else {
                throw PerceptionError.invalidConfiguration(
                    "mask '\(binding.observationKey)' (\(binding.columns.count) entries) cannot mask action '\(binding.actionKey)'")
            }
        }
        self.network = network
        self.heads = heads
        self.masks = masks
        self.observationWidth = observationWidth
    }

    /// Columns of a flat action row.
    public var actionWidth: Int { heads.reduce(0) { $0 + $1.actionWidth } }
    /// Columns of the logits.
    public var logitsWidth: Int { network.outputs }

    /// The distribution given `[batch, logitsWidth]` logits (from this network, now or when acting)
    /// and the observations they were computed from (for the masks).
    public func distribution(logits: Variable, observations: Tensor) throws -> DictDistribution {
        guard logits.shape.count == 2, logits.shape[1] == logitsWidth, observations.shape == [logits.shape[0], observationWidth] else {
            throw PerceptionError.batchMismatch(
                "logits \(logits.shape) and observations \(observations.shape) do not fit [batch, \(logitsWidth)] / [batch, \(observationWidth)]")
        }
        var entries: [(key: String, distribution: any ActionDistribution)] = []
        var offset = 0
        for head in heads {
            let parameters = try logits.columns(offset..<(offset + head.parameterWidth))
            let mask = try masks.first { $0.actionKey == head.key }.map { try Self.mask($0.columns, from: observations) }
            entries.append((head.key, try head.distribution(parameters: parameters, mask: mask)))
            offset += head.parameterWidth
        }
        return try DictDistribution(entries)
    }

    /// `true` where the observation's mask entry is above one half.
    private static func mask(_ columns: Range<Int>, from observations: Tensor) throws -> Mask {
        let flags = try observations.columns(columns).scalars.map { $0 > 0.5 }
        return try Mask(shape: [observations.shape[0], columns.count], elements: flags)
    }
}
