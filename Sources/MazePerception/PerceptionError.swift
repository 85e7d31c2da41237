/// Why a distribution, a perception model or a model configuration could not be built or evaluated.
///
/// Spaces, configs and batches come from users and the network, so every failure is a value naming
/// what was wrong instead of a crash.
enum PerceptionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An action space has no distribution (e.g. an unbounded Box for Beta) or a config names none.
    case unsupportedSpace(key: String, reason: String)
    /// A batch has the wrong width or row count for the model or distribution it is given to.
    case batchMismatch(String)
    /// Two distributions of different kinds or shapes were compared (KL).
    case incompatibleDistributions(String)
    /// The model configuration is missing a key, names an unknown component or has a bad value.
    case invalidConfiguration(String)
    /// A sub-step key the model has no policy or critic for.
    case unknownStep(String)

    var description: String {
        switch self {
        case .unsupportedSpace(let key, let reason): "action '\(key)': \(reason)"
        case .batchMismatch(let message), .incompatibleDistributions(let message), .invalidConfiguration(let message):
            message
        case .unknownStep(let step): "the model has no network for sub-step '\(step)'"
        }
    }
}
