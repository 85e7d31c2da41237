/// A wrapper that only changes rewards: conformers implement ``transformReward(_:done:)`` and get
/// both stepping paths (dictionary and buffer) with the transformation applied.
protocol RewardTransformingWrapper: Wrapper {
    /// The reward to report for a step that produced `reward` (and ended the episode if `done`).
    func transformReward(_ reward: Double, done: Bool) -> Double
}

extension RewardTransformingWrapper {
    func step(_ action: Action) throws -> StepResult {
        var result = try inner.step(action)
        result.reward = transformReward(result.reward, done: result.done)
        return result
    }

    func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        try inner.reset(observationInto: buffer)
    }

    func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        var outcome = try inner.step(action, observationInto: buffer)
        outcome.reward = transformReward(outcome.reward, done: outcome.done)
        return outcome
    }
}
