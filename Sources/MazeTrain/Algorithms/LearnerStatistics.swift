import MazeCore

/// The trainer's figures of one epoch (losses, entropy, gradient norms, learning rate), averaged at the
/// epoch's end into the statistics table under Maze's event topic `MultiStepActorCriticEvents`.
public struct LearnerStatistics: Sendable {
    /// Maze's event topic for actor-critic trainer statistics.
    public static let topic = "MultiStepActorCriticEvents"

    /// Names in Maze's console order; per-sub-step values carry the sub-step as the statistic's name.
    enum Name: String, CaseIterable {
        case learningRate = "learning_rate"
        case policyLoss = "policy_loss"
        case policyGradNorm = "policy_grad_norm"
        case policyEntropy = "policy_entropy"
        case criticValue = "critic_value"
        case criticValueLoss = "critic_value_loss"
        case criticGradNorm = "critic_grad_norm"
    }

    private var sums: [Name: Double] = [:]
    private var counts: [Name: Int] = [:]

    public init() {}

    mutating func record(_ name: Name, _ value: Float) {
        sums[name, default: 0] += Double(value)
        counts[name, default: 0] += 1
    }

    /// Records one optimization step's figures.
    mutating func record(_ loss: ActorCriticLoss, meanValue: Float, norms: GradientStep.Norms, learningRate: Float) {
        let values = loss.values
        record(.learningRate, learningRate)
        record(.policyLoss, values.policyLoss)
        record(.policyGradNorm, norms.policy)
        record(.policyEntropy, values.entropy)
        record(.criticValue, meanValue)
        record(.criticValueLoss, values.valueLoss)
        record(.criticGradNorm, norms.critic)
    }

    /// Whether every figure recorded so far (losses, gradient norms, …) is finite.
    public var isFinite: Bool { sums.values.allSatisfy(\.isFinite) }

    /// The mean of a statistic over the epoch so far, if it was recorded.
    func mean(_ key: Name) -> Double? {
        guard let count = counts[key], count > 0, let sum = sums[key] else { return nil }
        return sum / Double(count)
    }

    /// The epoch's means as table rows with `prefix` (e.g. `train`) under `topic`; the learning rate has no sub-step.
    public func reduce(prefix: String, topic: String = Self.topic) -> LogStats {
        var stats = LogStats()
        for name in Name.allCases {
            guard let mean = mean(name) else { continue }
            let subStep = name == .learningRate ? "" : "0"
            stats.append(StatKey(prefix: prefix, topic: topic, event: name.rawValue, name: subStep), .number(mean))
        }
        return stats
    }
}
