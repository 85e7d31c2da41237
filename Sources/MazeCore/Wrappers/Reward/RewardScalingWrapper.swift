/// Multiplies every step reward by `scale` (Maze's RewardScalingWrapper).
public final class RewardScalingWrapper: RewardTransformingWrapper {
    public let inner: any StructuredEnv
    public let scale: Double

    public init(_ env: any StructuredEnv, scale: Double) {
        inner = env
        self.scale = scale
    }

    public func transformReward(_ reward: Double, done: Bool) -> Double { reward * scale }
}

/// Clips every step reward to `[min, max]` (Maze's RewardClippingWrapper).
public final class RewardClippingWrapper: RewardTransformingWrapper {
    public let inner: any StructuredEnv
    public let minimum: Double
    public let maximum: Double

    public init(_ env: any StructuredEnv, min minimum: Double, max maximum: Double) throws(MazeError) {
        guard minimum <= maximum else {
            throw .invalidConfiguration("reward clipping min \(minimum) exceeds max \(maximum)")
        }
        inner = env
        self.minimum = minimum
        self.maximum = maximum
    }

    public func transformReward(_ reward: Double, done: Bool) -> Double {
        Swift.min(Swift.max(reward, minimum), maximum)
    }
}
