/// How a dev runner's training ended, whatever model it trained (``DevRunner/Summary``).
package struct TrainingSummary: Sendable {
    package var epochs: Int
    package var envSteps: Int
    /// The best evaluation's mean return.
    package var bestReturn: Double?
    /// Env steps taken when an evaluation first reached ``DevRunner/Options/targetReturn``.
    package var envStepsToTarget: Int?
    /// Learner samples (rows of training data) processed per second of update time.
    package var learnerSamplesPerSecond: Double
    /// Env steps per second of rollout time.
    package var envStepsPerSecond: Double
}
