/// What can go wrong between a composed config and a finished run, with what the user should do instead.
enum MazeRunError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The runner exists in the config but cannot be used here (e.g. `runner=local` in ``RunContext``).
    case runnerNotAvailable(runner: String, reason: String, suggestion: String)
    /// A config value cannot be used for this run.
    case invalidConfig(key: String, problem: String)
    /// A trained run folder (`input_dir`) is missing something a rollout needs.
    case invalidRunFolder(path: String, problem: String)
    /// A `runner=local` experiment did not finish as done.
    case experimentFailed(id: String, problem: String)
    /// SIGINT or SIGTERM stopped a `runner=local` run (its processes were stopped first).
    case interrupted
    /// The run folder could not be created or written.
    case cannotWrite(path: String, problem: String)

    var description: String {
        switch self {
        case .runnerNotAvailable(let runner, let reason, let suggestion):
            return "runner=\(runner) is not available: \(reason). Use \(suggestion) instead."
        case .invalidConfig(let key, let problem):
            return "\(key): \(problem)"
        case .invalidRunFolder(let path, let problem):
            return "input_dir '\(path)': \(problem)"
        case .experimentFailed(let id, let problem):
            return "experiment \(id) failed: \(problem)"
        case .interrupted:
            return "interrupted; the learner and actor processes were stopped"
        case .cannotWrite(let path, let problem):
            return "cannot write '\(path)': \(problem)"
        }
    }
}
