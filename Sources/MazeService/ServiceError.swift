/// A failure of the distributed service that a user can act on.
enum ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A setting is out of range.
    case invalidConfiguration(String)
    /// The learner did not answer within the timeout.
    case learnerUnreachable(endpoint: String, timeout: Duration)
    /// The learner refused a request (its `Error` reply).
    case refused(code: String, message: String)
    /// The learner answered with a message that does not fit the request.
    case unexpectedReply(String)
    /// The state file could not be read or written.
    case stateFile(path: String, reason: String)

    var description: String {
        switch self {
        case .invalidConfiguration(let reason):
            "invalid configuration: \(reason)"
        case .learnerUnreachable(let endpoint, let timeout):
            "no answer from the learner at \(endpoint) within \(timeout) (is `maze learner` running there, and are the keys right?)"
        case .refused(let code, let message):
            "the learner refused the request (\(code)): \(message)"
        case .unexpectedReply(let type):
            "the learner answered with an unexpected \(type) message"
        case .stateFile(let path, let reason):
            "learner state file \(path): \(reason)"
        }
    }
}
