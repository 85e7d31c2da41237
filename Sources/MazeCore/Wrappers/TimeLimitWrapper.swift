/// Ends episodes after `maxEpisodeSteps` steps by marking them truncated (Gym's TimeLimit).
public final class TimeLimitWrapper: Wrapper {
    public let inner: any StructuredEnv
    /// The step budget of one episode.
    public let maxEpisodeSteps: Int
    /// Steps taken in the current episode.
    public private(set) var elapsedSteps = 0

    public init(_ env: any StructuredEnv, maxEpisodeSteps: Int) throws(MazeError) {
        guard maxEpisodeSteps > 0 else { throw .invalidConfiguration("max_episode_steps must be positive") }
        inner = env
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    public func reset() throws -> Observation {
        elapsedSteps = 0
        return try inner.reset()
    }

    public func step(_ action: Action) throws -> StepResult {
        var result = try inner.step(action)
        if applyLimit(to: &result.outcome) { result.info["TimeLimit.truncated"] = "true" }
        return result
    }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        elapsedSteps = 0
        try inner.reset(observationInto: buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        var outcome = try inner.step(action, observationInto: buffer)
        applyLimit(to: &outcome)
        return outcome
    }

    /// Counts the step and truncates at the limit; returns whether this step hit it.
    @discardableResult
    private func applyLimit(to outcome: inout StepOutcome) -> Bool {
        elapsedSteps += 1
        guard elapsedSteps >= maxEpisodeSteps, !outcome.terminated else { return false }
        outcome.truncated = true
        return true
    }
}
