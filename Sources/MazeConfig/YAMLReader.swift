import Yams

/// Reads YAML text into a `ConfigNode`, reporting syntax errors with file name and line.
///
/// A document may expand to at most `maxNodes` nodes nested at most `maxDepth` deep. Yams shares an
/// anchored node among its aliases, so a few hundred bytes of nested aliases (a "billion laughs" file)
/// describe billions of nodes; the limits stop the expansion, not the aliases themselves.
enum YAMLReader {
    /// Nodes one document may expand to; Maze's largest composed configs have a few thousand.
    static let maxNodes = 200_000
    /// Nesting depth of maps and lists; Maze's configs nest about ten deep.
    static let maxDepth = 64

    /// Parses one YAML document; an empty document is an empty map (an empty config file).
    static func parse(_ text: String, file: String) throws -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        guard let root else { return .emptyMap }
        var budget = maxNodes
        return try convert(root, file: file, depth: 0, budget: &budget)
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

    private static func convert(_ node: Node, file: String, depth: Int, budget: inout Int) throws -> ConfigNode {
        budget -= 1
        guard budget >= 0 else {
            throw ConfigError.invalidFile(
                file: file,
                problem: "expands to more than \(maxNodes) nodes (nested YAML aliases?); configs this large are refused"
            )
        }
        guard depth <= maxDepth else {
            throw ConfigError.invalidFile(file: file, problem: "nests deeper than \(maxDepth) levels")
        }
        switch node {
        case .scalar(let scalar):
            return scalar.style == .plain ? PlainScalar.resolve(scalar.string) : .string(scalar.string)
        case .sequence(let sequence):
            return .list(try sequence.map { try convert($0, file: file, depth: depth + 1, budget: &budget) })
        case .mapping(let mapping):
            var map = ConfigMap()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw ConfigError.invalidFile(
                        file: file, problem: "line \(key.mark?.line ?? 0): map keys must be plain scalars")
                }
                map[keyScalar.string] = try convert(value, file: file, depth: depth + 1, budget: &budget)
            }
            return .map(map)
        case .alias:
            throw ConfigError.invalidFile(file: file, problem: "unresolved YAML alias")
        }
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return .yamlSyntax(file: file, line: mark.line, column: mark.column, problem: detail)
        default:
            return .yamlSyntax(file: file, line: 0, column: 0, problem: String(describing: error))
        }
    }
}
