/// Multiplies every step reward by `scale` (Maze's RewardScalingWrapper).
final class RewardScalingWrapper: RewardTransformingWrapper {
    let inner: any StructuredEnv
    let scale: Double

    init(_ env: any StructuredEnv, scale: Double) {
        inner = env
        self.scale = scale
    }

    func transformReward(_ reward: Double, done: Bool) -> Double { reward * scale }
}

/// Clips every step reward to `[min, max]` (Maze's RewardClippingWrapper).
final class RewardClippingWrapper: RewardTransformingWrapper {
    let inner: any StructuredEnv
    let minimum: Double
    let maximum: Double

    init(_ env: any StructuredEnv, min minimum: Double, max maximum: Double) throws(MazeError) {
        guard minimum <= maximum else {
            throw .invalidConfiguration("reward clipping min \(minimum) exceeds max \(maximum)")
        }
        inner = env
        self.minimum = minimum
        self.maximum = maximum
    }

    func transformReward(_ reward: Double, done: Bool) -> Double {
        Swift.min(Swift.max(reward, minimum), maximum)
    }
}
