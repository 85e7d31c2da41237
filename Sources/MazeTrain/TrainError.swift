/// What can go wrong while configuring, running, saving or resuming training; every case names the
/// offending key, file or shape so the message alone says what to fix.
public enum TrainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A trainer or runner setting is missing, has the wrong type or an invalid value.
    case invalidSetting(key: String, problem: String)
    /// Arrays handed to a computation do not have the lengths its `[T, B]` layout needs.
    case shapeMismatch(String)
    /// A checkpoint could not be written or read back.
    case checkpoint(path: String, problem: String)
    /// The model or environment cannot be trained by the chosen algorithm.
    case unsupported(String)
    /// The run's memory estimate exceeds the memory budget.
    case overBudget(String)

    public var description: String {
        switch self {
        case .invalidSetting(let key, let problem): "\(key): \(problem)"
        case .shapeMismatch(let problem): "shape mismatch: \(problem)"
        case .checkpoint(let path, let problem): "checkpoint \(path): \(problem)"
        case .unsupported(let problem): "unsupported: \(problem)"
        case .overBudget(let problem): "memory budget: \(problem)"
        }
    }
}
