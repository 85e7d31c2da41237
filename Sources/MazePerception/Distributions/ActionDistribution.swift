import MazeCore
import MazeTensor

/// A batch of probability distributions over one action (or a dictionary of actions), one per row,
/// whose parameters are variables on a caller-owned tape so that log-probabilities, entropies and KL
/// divergences carry gradients back into the policy network.
///
/// Actions are `[batch, actionWidth]` float tensors in the flat layout of the action space
/// (`DictSpace.flatCount` per row; a Discrete action is one column holding its index), the layout the
/// vector environments and trajectory batches use.
public protocol ActionDistribution {
    /// Number of rows.
    var batchSize: Int { get }
    /// Columns of one action row.
    var actionWidth: Int { get }
    /// Log-probability (density for continuous actions) of each row's action, shape `[batch]`.
    func logProb(_ actions: Tensor) throws -> Variable
    /// Entropy of each row's distribution, shape `[batch]`.
    func entropy() throws -> Variable
    /// One action per row drawn from `random`, shape `[batch, actionWidth]`.
    func sample(using random: inout MazeRandom) throws -> Tensor
    /// The most likely action per row (the deterministic policy), shape `[batch, actionWidth]`.
    func mode() throws -> Tensor
    /// KL(self ‖ other) per row, shape `[batch]`; `other` must be the same kind over the same space.
    func kl(to other: any ActionDistribution) throws -> Variable
}

extension ActionDistribution {
    /// Throws unless `actions` is `[batchSize, actionWidth]`.
    func checkActions(_ actions: Tensor) throws {
        guard actions.shape == [batchSize, actionWidth] else {
            throw PerceptionError.batchMismatch(
                "actions have shape \(actions.shape), the distribution expects [\(batchSize), \(actionWidth)]")
        }
    }

    /// `other` as `Self`, or an error naming both kinds.
    func sameKind<D: ActionDistribution>(_ other: any ActionDistribution, as type: D.Type) throws -> D {
        guard let match = other as? D, match.batchSize == batchSize, match.actionWidth == actionWidth else {
            throw PerceptionError.incompatibleDistributions(
                "KL from \(Self.self) [\(batchSize)×\(actionWidth)] to \(Swift.type(of: other)) [\(other.batchSize)×\(other.actionWidth)]"
            )
        }
        return match
    }
}
