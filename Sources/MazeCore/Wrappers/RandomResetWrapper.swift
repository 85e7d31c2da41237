/// Starts every episode after a random number (between the bounds) of random actions, so episodes
/// do not all begin in the same state (Maze's RandomResetWrapper).
final class RandomResetWrapper: Wrapper {
    let inner: any StructuredEnv
    let skipSteps: ClosedRange<Int>
    private var random = MazeRandom(seed: 0)
    private let policy: RandomPolicy

    init(_ env: any StructuredEnv, minSkipSteps: Int, maxSkipSteps: Int) throws(MazeError) {
        guard minSkipSteps >= 0, minSkipSteps <= maxSkipSteps else {
            throw .invalidConfiguration(
                "need 0 <= min_skip_steps <= max_skip_steps, got \(minSkipSteps)...\(maxSkipSteps)")
        }
        inner = env
        skipSteps = minSkipSteps...maxSkipSteps
        policy = RandomPolicy(actionSpaces: env.actionSpaces)
    }

    /// Seeds the inner env and the skipping (count and actions) from `seed`.
    func seed(_ seed: UInt64) {
        random = MazeRandom(seed: seed)
        inner.seed(random.nextSeed())
        policy.seed(random.nextSeed())
    }

    func reset() throws -> Observation {
        var observation = try inner.reset()
        let skips = skipSteps.lowerBound + random.nextInt(below: skipSteps.count)
        for _ in 0..<skips {
            let action = try policy.computeAction(
                observation: observation, actorID: inner.actorID, deterministic: false, env: inner)
            let result = try inner.step(action)
            // an episode that ends while skipping starts over, as a reset would
            observation = result.done ? try inner.reset() : result.observation
        }
        return observation
    }
}
