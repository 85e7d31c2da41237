/// Ends episodes after `maxEpisodeSteps` steps by marking them truncated (Gymnasium's TimeLimit).
///
/// As in Gymnasium, the step that reaches the limit is truncated even when it also terminates: both
/// flags are then set.
public final class TimeLimitWrapper: Wrapper {
    public let inner: any StructuredEnv
    /// The step budget of one episode.
    public let maxEpisodeSteps: Int
    /// Private (not `public private(set)`) so that the optimizer sees every access and can drop the
    /// runtime exclusivity checks on this per-step counter.
    private var stepsTaken = 0

    /// Steps taken in the current episode.
    public var elapsedSteps: Int { stepsTaken }

    public init(_ env: any StructuredEnv, maxEpisodeSteps: Int) throws(MazeError) {
        guard maxEpisodeSteps > 0 else { throw .invalidConfiguration("max_episode_steps must be positive") }
        inner = env
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    public func reset() throws -> Observation {
        stepsTaken = 0
        return try inner.reset()
    }

    public func step(_ action: Action) throws -> StepResult {
        var result = try inner.step(action)
        if applyLimit(to: &result.outcome) { result.info["TimeLimit.truncated"] = "true" }
        return result
    }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        stepsTaken = 0
        try inner.reset(observationInto: buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        var outcome = try inner.step(action, observationInto: buffer)
        applyLimit(to: &outcome)
        return outcome
    }

    public func step(
        flatAction: UnsafeBufferPointer<Float>, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> StepOutcome {
        var outcome = try inner.step(flatAction: flatAction, observationInto: buffer)
        applyLimit(to: &outcome)
        return outcome
    }

    /// Counts the step and truncates at the limit; returns whether this step hit it.
    @discardableResult
    private func applyLimit(to outcome: inout StepOutcome) -> Bool {
        stepsTaken += 1
        guard stepsTaken >= maxEpisodeSteps else { return false }
        outcome.truncated = true
        return true
    }
}
