import MazeConfig
import MazeWire

/// What the learner accepts into its queue. Every `Submit` is checked here on arrival, before anything is
/// stored, so that a config which would trap, wedge or exhaust the learner is answered with an error naming
/// the problem instead of becoming a queued experiment that crash-loops `--resume`.
///
/// The checks: the submission's size, the number of experiments waiting, and `checkConfig`, which runs again
/// before the experiment is built (a config queued by an older learner, or before a budget was lowered).
/// `maze learner` sets `checkConfig` to `experimentCheck(memoryBudget:queueOutOfSyncFactor:)`; the default only
/// parses the YAML (node and depth limits included), for learners embedding other algorithms.
public struct SubmissionPolicy: Sendable {
    /// The largest submission accepted (config text, overrides and command line), in bytes; composed Maze
    /// configs take a few kilobytes.
    public var maxConfigBytes = 256 * 1024
    /// Queued (not yet running) experiments at most; further submits are refused until some have run.
    public var maxQueued = 100
    /// Throws why a config cannot be trained.
    public var checkConfig: @Sendable (_ configYAML: String, _ algorithm: String?) throws -> Void = { yaml, _ in
        _ = try ConfigNode(yaml: yaml, file: "<submitted config>")
    }

    public init() {}

    /// Why `submission` is refused, or `nil` when it may be queued behind `queued` waiting experiments.
    public func refusal(of submission: Submit, queued: Int) -> ControlError? {
        guard queued < maxQueued else {
            return ControlError(
                code: ControlErrorCode.queueFull,
                message:
                    "\(queued) experiments are already waiting (at most \(maxQueued)); submit again once some have run")
        }
        let size =
            submission.configYAML.utf8.count + submission.overrides.reduce(0) { $0 + $1.utf8.count }
            + submission.commandLine.reduce(0) { $0 + $1.utf8.count }
        guard size <= maxConfigBytes else {
            return ControlError(
                code: ControlErrorCode.invalidConfig,
                message: "the submission has \(size) bytes, more than the \(maxConfigBytes) accepted")
        }
        do {
            try checkConfig(submission.configYAML, submission.algorithm)
            return nil
        } catch {
            return ControlError(code: ControlErrorCode.invalidConfig, message: String(describing: error))
        }
    }
}
