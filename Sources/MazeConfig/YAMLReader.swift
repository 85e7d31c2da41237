import Yams

/// Reads YAML text into a `ConfigNode`, reporting syntax errors with file name and line.
enum YAMLReader {
    /// Parses one YAML document; an empty document is an empty map (an empty config file).
    static func parse(_ text: String, file: String) throws -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        guard let root else { return .emptyMap }
        return try convert(root, file: file)
    }

    /// The `# @package <name>` directive of a config file, if its header comments declare one.
    static func packageDirective(in text: String) -> String? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("#") else { return nil }
            let comment = trimmed.dropFirst().trimmingCharacters(in: .whitespaces)
            if comment.hasPrefix("@package") {
                let name = comment.dropFirst("@package".count).trimmingCharacters(in: .whitespaces)
                return name.isEmpty ? nil : name
            }
        }
        return nil
    }

    private static func convert(_ node: Node, file: String) throws -> ConfigNode {
        switch node {
        case .scalar(let scalar):
            return scalar.style == .plain ? PlainScalar.resolve(scalar.string) : .string(scalar.string)
        case .sequence(let sequence):
            return .list(try sequence.map { try convert($0, file: file) })
        case .mapping(let mapping):
            var map = ConfigMap()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigError.invalidFile(
                        file: file, problem: "line \(key.mark?.line ?? 0): map keys must be plain scalars")
                }
                map[keyScalar.string] = try convert(value, file: file)
            }
            return .map(map)
        case .alias:
            throw ConfigError.invalidFile(file: file, problem: "unresolved YAML alias")
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return .yamlSyntax(file: file, line: mark.line, column: mark.column, problem: detail)
        default:
            return .yamlSyntax(file: file, line: 0, column: 0, problem: String(describing: error))
        }
    }
}
