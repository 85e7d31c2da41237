import MazeCore
import MazeTensor

/// The distribution families an action can be drawn from, named as Maze's probability distribution
/// classes (`CategoricalProbabilityDistribution`, …) so configs can name them.
public enum DistributionKind: String, Sendable, Hashable, Codable, CaseIterable {
    case categorical = "CategoricalProbabilityDistribution"
    case multiCategorical = "MultiCategoricalProbabilityDistribution"
    case bernoulli = "BernoulliProbabilityDistribution"
    case diagonalGaussian = "DiagonalGaussianProbabilityDistribution"
    case squashedGaussian = "SquashedGaussianProbabilityDistribution"
    case beta = "BetaProbabilityDistribution"

    /// Maze's default for a space: Categorical for Discrete, MultiCategorical for MultiDiscrete,
    /// Bernoulli for MultiBinary and a diagonal Gaussian for Box.
    public static func defaultKind(for space: Space) -> DistributionKind {
        switch space {
        case .discrete: .categorical
        case .multiDiscrete: .multiCategorical
        case .multiBinary: .bernoulli
        case .box: .diagonalGaussian
        }
    }

    /// Whether this family can describe actions of `space`.
    public func supports(_ space: Space) -> Bool {
        switch (self, space) {
        case (.categorical, .discrete), (.multiCategorical, .multiDiscrete), (.bernoulli, .multiBinary): true
        case (.diagonalGaussian, .box), (.squashedGaussian, .box), (.beta, .box): true
        default: false
        }
    }
}

/// The distribution of one action key: its space, family and how many network outputs (logits)
/// parameterise it.
public struct ActionHead: Sendable, Hashable {
    /// The action key.
    public let key: String
    /// The action's space.
    public let space: Space
    /// The distribution family.
    public let kind: DistributionKind
    private let bounds: BoxBounds?

    /// A head for `key`; fails when `kind` cannot describe `space` (or a bounded family meets an unbounded box).
    public init(key: String, space: Space, kind: DistributionKind) throws {
        guard kind.supports(space) else {
            throw PerceptionError.unsupportedSpace(key: key, reason: "\(kind.rawValue) does not support \(space)")
        }
        if case .box(let box) = space, kind == .squashedGaussian || kind == .beta {
            bounds = try BoxBounds(box, key: key)
        } else {
            bounds = nil
        }
        self.key = key
        self.space = space
        self.kind = kind
    }

    /// Network outputs per row: one logit per category or binary element, two numbers per Box element.
    public var parameterWidth: Int {
        switch space {
        case .discrete(let n): n
        case .multiDiscrete(let nvec): nvec.reduce(0, +)
        case .multiBinary(let n): n
        case .box: 2 * space.elementCount
        }
    }

    /// Columns of this action in a flat action row.
    public var actionWidth: Int { space.elementCount }

    /// Whether an action mask (one flag per logit) can be applied: the categorical families.
    public var acceptsMask: Bool { kind == .categorical || kind == .multiCategorical }

    /// The distribution given `[batch, parameterWidth]` parameters and, for categorical families,
    /// an optional `[batch, parameterWidth]` mask (`true` = allowed).
    public func distribution(parameters: Variable, mask: Mask? = nil) throws -> any ActionDistribution {
        guard parameters.shape.count == 2, parameters.shape[1] == parameterWidth else {
            throw PerceptionError.batchMismatch(
                "action '\(key)' needs parameters [batch, \(parameterWidth)], got \(parameters.shape)")
        }
        switch (kind, space) {
        case (.categorical, _):
            return try CategoricalDistribution(logits: parameters, mask: mask)
        case (.multiCategorical, .multiDiscrete(let nvec)):
            return try MultiCategoricalDistribution(logits: parameters, nvec: nvec, mask: mask)
        case (.bernoulli, _):
            return try BernoulliDistribution(logits: parameters)
        case (.diagonalGaussian, _):
            return try DiagonalGaussianDistribution(parameters: parameters, count: actionWidth)
        case (.squashedGaussian, _):
            return try SquashedGaussianDistribution(parameters: parameters, bounds: requireBounds())
        case (.beta, _):
            return try BetaDistribution(parameters: parameters, bounds: requireBounds())
        case (.multiCategorical, _):
            throw PerceptionError.unsupportedSpace(key: key, reason: "a multi-categorical needs a MultiDiscrete space")
        }
    }

    private func requireBounds() throws -> BoxBounds {
        guard let bounds else {
            throw PerceptionError.unsupportedSpace(key: key, reason: "\(kind.rawValue) needs a bounded Box")
        }
        return bounds
    }
}
