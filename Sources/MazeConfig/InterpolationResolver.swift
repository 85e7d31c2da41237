/// Resolves `${a.b}` references in a configuration tree, OmegaConf-style.
///
/// A value that is exactly one reference takes the referenced value with its type (a number stays a
/// number, a map stays a map); references inside longer strings are spliced in as text. `${.x}` is
/// relative to the containing map (each further dot goes one level up) and `\${` is a literal `${`.
/// Cycles and missing keys are errors that name the keys involved.
struct InterpolationResolver {
    let root: ConfigNode

    /// The whole tree with every interpolation replaced by its value.
    func resolveAll() throws -> ConfigNode {
        try resolve(at: [], visiting: [])
    }

    /// Evaluates one string that may contain interpolations, as if it were stored at `path`.
    func evaluate(_ text: String, at path: [String]) throws -> ConfigNode {
        try evaluate(text, at: path, visiting: [dotted(path)])
    }

    private func resolve(at path: [String], visiting: [String]) throws -> ConfigNode {
        guard let node = root.node(at: path) else {
            throw ConfigError.keyNotFound(path: dotted(path), suggestion: nil)
        }
        switch node {
        case .map(let map):
            var resolved = ConfigMap()
            for key in map.keys { resolved[key] = try resolve(at: path + [key], visiting: visiting) }
            return .map(resolved)
        case .list(let items):
            return .list(try items.indices.map { try resolve(at: path + [String($0)], visiting: visiting) })
        case .string(let text) where text.contains("${"):
            let key = dotted(path)
            guard !visiting.contains(key) else {
                throw ConfigError.interpolationCycle(chain: Array(visiting.drop { $0 != key }) + [key])
            }
            return try evaluate(text, at: path, visiting: visiting + [key])
        default:
            return node
        }
    }

    private func evaluate(_ text: String, at path: [String], visiting: [String]) throws -> ConfigNode {
        let pieces = try InterpolationPiece.split(text, path: dotted(path))
        if pieces.count == 1, case .reference(let reference) = pieces[0] {
            return try value(of: reference, from: path, visiting: visiting)
        }
        var result = ""
        for piece in pieces {
            switch piece {
            case .literal(let literal):
                result += literal
            case .reference(let reference):
                let value = try value(of: reference, from: path, visiting: visiting)
                guard let fragment = value.interpolationText else {
                    throw ConfigError.invalidInterpolation(
                        path: dotted(path), expression: "${\(reference)}",
                        problem: "\(value.summary) cannot be embedded in a string")
                }
                result += fragment
            }
        }
        return .string(result)
    }

    private func value(of reference: String, from path: [String], visiting: [String]) throws -> ConfigNode {
        guard !reference.contains(":") else {
            throw ConfigError.invalidInterpolation(
                path: dotted(path), expression: "${\(reference)}", problem: "custom resolvers are not supported")
        }
        let target = try absolutePath(of: reference, from: path)
        guard root.node(at: target) != nil else {
            throw ConfigError.interpolationKeyNotFound(
                path: dotted(path), reference: reference,
                suggestion: NearestMatch.suggestion(for: dotted(target), among: root.allKeyPaths))
        }
        return try resolve(at: target, visiting: visiting)
    }

    private func absolutePath(of reference: String, from path: [String]) throws -> [String] {
        let leadingDots = reference.prefix { $0 == "." }.count
        let keys = keyPathSegments(String(reference.dropFirst(leadingDots)))
        guard !keys.contains(where: \.isEmpty) else {
            throw ConfigError.invalidInterpolation(
                path: dotted(path), expression: "${\(reference)}", problem: "empty key in reference")
        }
        guard leadingDots > 0 else { return keys }
        let base = path.dropLast(leadingDots)
        guard path.count >= leadingDots else {
            throw ConfigError.invalidInterpolation(
                path: dotted(path), expression: "${\(reference)}", problem: "relative reference leaves the config root")
        }
        return Array(base) + keys
    }

    private func dotted(_ path: [String]) -> String {
        path.isEmpty ? "<root>" : path.joined(separator: ".")
    }
}

/// A string split into literal text and `${…}` references.
enum InterpolationPiece: Equatable {
    case literal(String)
    case reference(String)

    static func split(_ text: String, path: String) throws -> [InterpolationPiece] {
        var pieces: [InterpolationPiece] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            let rest = text[index...]
            if rest.hasPrefix("\\${") {
                literal += "${"
                index = text.index(index, offsetBy: 3)
            } else if rest.hasPrefix("${") {
                let start = text.index(index, offsetBy: 2)
                guard let end = text[start...].firstIndex(of: "}") else {
                    throw ConfigError.invalidInterpolation(path: path, expression: text, problem: "missing '}'")
                }
                let reference = text[start..<end].trimmingCharacters(in: .whitespaces)
                guard !reference.isEmpty, !reference.contains("${") else {
                    throw ConfigError.invalidInterpolation(
                        path: path, expression: text, problem: "empty or nested interpolation")
                }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.reference(reference))
                index = text.index(after: end)
            } else {
                literal.append(text[index])
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty || pieces.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }
}
