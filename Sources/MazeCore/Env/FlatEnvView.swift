/// A Gym-style view of a single-step, single-agent environment: flat `[Float]` observations, the one
/// action space, and `(observation, reward, terminated, truncated, info)` steps.
package final class FlatEnvView {
    /// The viewed environment.
    package let env: any StructuredEnv
    /// The only observation space.
    package let observationSpace: DictSpace
    /// The only action space.
    package let actionSpace: DictSpace

    /// Fails unless `env` has exactly one step key with one agent.
    package init(_ env: any StructuredEnv) throws(MazeError) {
        let counts = env.agentCounts
        guard counts.count == 1, counts.values.first == 1, let key = counts.keys.first,
            let observationSpace = env.observationSpaces[key], let actionSpace = env.actionSpaces[key]
        else {
            throw .invalidConfiguration("a flat view needs one sub-step with one agent, the env has \(counts)")
        }
        self.env = env
        self.observationSpace = observationSpace
        self.actionSpace = actionSpace
    }

    /// Seeds (when `seed` is given) and resets, returning the flat first observation.
    package func reset(seed: UInt64? = nil) throws -> [Float] {
        if let seed { env.seed(seed) }
        var observation = [Float](repeating: 0, count: observationSpace.flatCount)
        try observation.withUnsafeMutableBufferPointer { try env.reset(observationInto: $0) }
        return observation
    }

    /// Steps with a flat action row (``DictSpace/unflatten(_:)`` layout of the action space).
    package func step(_ action: [Float]) throws -> (
        observation: [Float], reward: Double, terminated: Bool, truncated: Bool, info: StepInfo
    ) {
        let spaceAction = try action.withUnsafeBufferPointer { row throws(MazeError) in
            try actionSpace.unflattenChecked(row)
        }
        let result = try env.step(spaceAction)
        return (
            try observationSpace.flatten(result.observation), result.reward, result.terminated, result.truncated,
            result.info
        )
    }
}
