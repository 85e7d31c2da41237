/// Everything that can go wrong while loading, composing, reading or instantiating a configuration.
///
/// Each case carries what a user needs to fix the problem: the offending key, file or option, and where
/// possible the nearest valid alternative (`did you mean algorithm.lr?`).
public enum ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A YAML file could not be parsed.
    case yamlSyntax(file: String, line: Int, column: Int, problem: String)
    /// A file parsed but does not have the shape a config file needs (e.g. a malformed defaults list).
    case invalidFile(file: String, problem: String)
    /// The root config named with `-cn` was not found in any search-path directory.
    case rootConfigNotFound(name: String, available: [String], suggestion: String?)
    /// A group option (e.g. `algorithm=ppp`) does not exist.
    case groupOptionNotFound(group: String, option: String, available: [String], suggestion: String?)
    /// A group override names a group that is not in the defaults list.
    case groupNotInDefaults(group: String)
    /// A key read or overridden does not exist.
    case keyNotFound(path: String, suggestion: String?)
    /// A section has a key its reader does not know (a component parameter, a wrapper setting).
    case unknownKey(path: String, known: [String], suggestion: String?)
    /// `+key=value` names a key that already exists.
    case keyAlreadyExists(path: String)
    /// A command-line override could not be parsed.
    case invalidOverride(override: String, problem: String)
    /// A sweep (`a=1,2`) was given without `--multirun`.
    case sweepWithoutMultirun(override: String)
    /// A value has the wrong type for the accessor that read it.
    case typeMismatch(path: String, expected: String, got: String)
    /// A value has the right type but is not allowed (out of its range, not one of the choices, …).
    case invalidValue(path: String, problem: String)
    /// An interpolation refers to a key that does not exist.
    case interpolationKeyNotFound(path: String, reference: String, suggestion: String?)
    /// Interpolations refer to each other in a cycle; the chain lists the keys involved.
    case interpolationCycle(chain: [String])
    /// An interpolation expression is malformed or uses an unsupported resolver.
    case invalidInterpolation(path: String, expression: String, problem: String)
    /// Defaults-list overrides kept changing each other's choices.
    case defaultsDidNotSettle(groups: [String])
    /// A component name is not registered.
    case unknownComponent(kind: String, name: String, available: [String], suggestion: String?)
    /// A component name was registered twice.
    case duplicateComponent(kind: String, name: String)

    public var description: String {
        switch self {
        case .yamlSyntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): YAML syntax error: \(problem)"
        case .invalidFile(let file, let problem):
            return "\(file): \(problem)"
        case .rootConfigNotFound(let name, let available, let suggestion):
            return "Cannot find root config '\(name)'. Available root configs: \(available.joined(separator: ", "))."
                + didYouMean(suggestion)
        case .groupOptionNotFound(let group, let option, let available, let suggestion):
            return "Cannot find '\(option)' in config group '\(group)'. Available options: "
                + "\(available.joined(separator: ", "))." + didYouMean(suggestion)
        case .groupNotInDefaults(let group):
            return "Could not override '\(group)': no match in the defaults list. To append to it use +\(group)=OPTION."
        case .keyNotFound(let path, let suggestion):
            return "\(path): key not found." + didYouMean(suggestion)
                + (suggestion == nil ? " To add a new key use +\(path)=VALUE." : "")
        case .unknownKey(let path, let known, let suggestion):
            return "\(path): unknown key; known keys: \(known.isEmpty ? "none" : known.joined(separator: ", "))."
                + didYouMean(suggestion)
        case .keyAlreadyExists(let path):
            return "\(path): key already exists; override it with \(path)=VALUE or ++\(path)=VALUE."
        case .invalidOverride(let override, let problem):
            return "Invalid override '\(override)': \(problem)"
        case .sweepWithoutMultirun(let override):
            return
                "'\(override)' is a sweep over several values; add --multirun, or quote the value to keep the commas."
        case .typeMismatch(let path, let expected, let got):
            return "\(path): expected \(expected), got \(got)"
        case .invalidValue(let path, let problem):
            return "\(path): \(problem)"
        case .interpolationKeyNotFound(let path, let reference, let suggestion):
            return "\(path): interpolation ${\(reference)} refers to a missing key." + didYouMean(suggestion)
        case .interpolationCycle(let chain):
            return "Interpolation cycle: \(chain.joined(separator: " -> "))"
        case .invalidInterpolation(let path, let expression, let problem):
            return "\(path): cannot resolve '\(expression)': \(problem)"
        case .defaultsDidNotSettle(let groups):
            return "Defaults-list overrides of \(groups.joined(separator: ", ")) keep changing each other."
        case .unknownComponent(let kind, let name, let available, let suggestion):
            return "Unknown \(kind) '\(name)'. Registered: \(available.joined(separator: ", "))."
                + didYouMean(suggestion)
        case .duplicateComponent(let kind, let name):
            return "The \(kind) '\(name)' is already registered."
        }
    }

    private func didYouMean(_ suggestion: String?) -> String {
        suggestion.map { " Did you mean \($0)?" } ?? ""
    }
}
