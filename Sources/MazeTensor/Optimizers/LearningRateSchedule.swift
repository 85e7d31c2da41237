/// The learning rate as a function of the optimizer step (0 for the first update).
public enum LearningRateSchedule: Sendable, Equatable, Codable {
    case constant(Float)
    /// From `initial` to `final` linearly over `steps` updates, then held at `final` (PPO's annealing).
    case linear(initial: Float, final: Float, steps: Int)

    /// The rate of update number `step`, counting from 0.
    public func rate(atStep step: Int) -> Float {
        switch self {
        case .constant(let rate):
            return rate
        case .linear(let initial, let final, let steps):
            guard steps > 0 else { return final }
            let progress = Float(min(max(step, 0), steps)) / Float(steps)
            return initial + (final - initial) * progress
        }
    }
}
