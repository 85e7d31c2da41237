/// Divides each step reward by the running standard deviation of the discounted return (Maze's
/// ReturnNormalizationRewardWrapper), keeping reward magnitudes comparable across environments.
final class ReturnNormalizationRewardWrapper: RewardTransformingWrapper {
    let inner: any StructuredEnv
    let discountFactor: Double
    let epsilon: Double
    private var discountedReturn = 0.0
    private var statistics = RunningMeanStd()

    init(_ env: any StructuredEnv, discountFactor: Double, epsilon: Double = 1e-8) throws(MazeError) {
        guard (0...1).contains(discountFactor) else {
            throw .invalidConfiguration("discount_factor must lie in [0, 1]")
        }
        inner = env
        self.discountFactor = discountFactor
        self.epsilon = epsilon
    }

    func transformReward(_ reward: Double, done: Bool) -> Double {
        discountedReturn = discountedReturn * discountFactor + reward
        statistics.add(discountedReturn)
        if done { discountedReturn = 0 }
        return reward / (statistics.variance + epsilon).squareRoot()
    }
}

/// Welford's running mean and variance of a stream of numbers.
struct RunningMeanStd {
    private(set) var count = 0
    private(set) var mean = 0.0
    private var sumOfSquares = 0.0

    mutating func add(_ value: Double) {
        count += 1
        let delta = value - mean
        mean += delta / Double(count)
        sumOfSquares += delta * (value - mean)
    }

    /// The population variance (0 before the first value).
    var variance: Double { count > 0 ? sumOfSquares / Double(count) : 0 }
}
