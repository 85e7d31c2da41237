/// Errors raised by MazeCore for bad input: wrong keys, shapes, configuration or names.
public enum MazeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required entry of an observation, action or config is missing.
    case missingKey(String, available: [String])
    /// A value does not fit the space it should belong to.
    case invalidValue(String)
    /// A configuration parameter is missing or has the wrong type.
    case invalidConfiguration(String)
    /// A name was not found in a registry; carries the nearest registered name, if any.
    case unknownName(kind: String, name: String, suggestion: String?)
    /// An operation was used in a state that does not allow it (e.g. stepping a closed env).
    case invalidState(String)
    /// Reading or writing a file failed.
    case io(String)

    public var description: String {
        switch self {
        case .missingKey(let key, let available):
            "missing key '\(key)' (available: \(available.joined(separator: ", ")))"
        case .invalidValue(let message), .invalidConfiguration(let message), .invalidState(let message),
            .io(let message):
            message
        case .unknownName(let kind, let name, let suggestion):
            "unknown \(kind) '\(name)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        }
    }
}
