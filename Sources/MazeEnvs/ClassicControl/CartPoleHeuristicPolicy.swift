import MazeCore

/// Balances CartPole with a fixed linear rule on the observation: push right when
/// `0.01·x + 0.1·ẋ + θ + 0.5·θ̇ > 0`. It keeps the pole up for the full 500 steps from typical start
/// states, which makes it a cheap expert for rollouts and a deterministic load for benchmarks.
package final class CartPoleHeuristicPolicy: Policy {
    package init() {}

    /// The heuristic has no randomness.
    package func seed(_ seed: UInt64) {}

    package func computeAction(
        observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?
    ) throws -> Action {
        let values = try observation.require("observation")
        guard values.count == 4 else {
            throw MazeError.invalidValue("CartPole observations have 4 values, got \(values.count)")
        }
        let push = Self.action(
            x: values.float(at: 0), xDot: values.float(at: 1), theta: values.float(at: 2), thetaDot: values.float(at: 3)
        )
        return ["action": .scalar(push)]
    }

    /// The rule itself, for callers that hold the four values directly (benchmarks, the C baseline's twin).
    @inlinable
    package static func action(x: Float, xDot: Float, theta: Float, thetaDot: Float) -> Int {
        0.01 * x + 0.1 * xDot + theta + 0.5 * thetaDot > 0 ? 1 : 0
    }
}
