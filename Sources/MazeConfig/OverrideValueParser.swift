/// Parses an override's value with Hydra's grammar: primitives resolved like YAML plain scalars,
/// quoted strings, `[a,b]` lists, `{k: v}` maps, `${…}` kept verbatim for later interpolation, and
/// top-level commas meaning a sweep, as do Hydra's `choice(a, b)` and `range(start, stop[, step])`.
struct OverrideValueParser {
    private let characters: [Character]
    private let override: String
    private var position = 0

    init(text: String, override: String) {
        self.characters = Array(text)
        self.override = override
    }

    mutating func parse() throws -> OverrideValue {
        if characters.allSatisfy(\.isWhitespace) { return .single(.string("")) }
        let trimmed = String(characters).trimmingCharacters(in: .whitespaces)
        for function in ["choice", "range"] where trimmed.hasPrefix(function + "(") && trimmed.hasSuffix(")") {
            let arguments = String(trimmed.dropFirst(function.count + 1).dropLast())
            var inner = OverrideValueParser(text: arguments, override: override)
            let elements = try inner.parseElements()
            return .sweep(function == "choice" ? elements : try range(elements.map(\.value)))
        }
        if let function = Self.unsupportedFunctions.first(where: {
            trimmed.hasPrefix($0 + "(") && trimmed.hasSuffix(")")
        }) {
            throw failure(
                function == "interval"
                    ? "interval(…) is a continuous search space for a search sweeper (Optuna, Nevergrad), which this build does not have; "
                        + "list the values to try instead, e.g. 0.0001,0.001,0.01 or choice(0.0001,0.001,0.01)"
                    : "Hydra's \(function)(…) is not supported; supported functions: choice(…), range(…)")
        }
        let elements = try parseElements()
        return elements.count == 1 ? .single(elements[0].value) : .sweep(elements)
    }

    /// Comma-separated top-level values, each with the text it was written as.
    private mutating func parseElements() throws -> [SweepElement] {
        var elements: [SweepElement] = []
        repeat {
            skipWhitespace()
            let start = position
            let value = try parseElement(terminators: [","])
            let text = String(characters[start..<position]).trimmingCharacters(in: .whitespaces)
            elements.append(SweepElement(value: value, text: text))
            skipWhitespace()
        } while consume(",")
        guard position == characters.count else { throw failure("unexpected '\(characters[position])'") }
        return elements
    }

    /// Hydra's `range(start, stop[, step])` sweep over integers, `stop` excluded.
    private func range(_ arguments: [ConfigNode]) throws -> [SweepElement] {
        let bounds = arguments.compactMap { if case .int(let value) = $0 { value } else { nil } }
        guard bounds.count == arguments.count, (2...3).contains(bounds.count) else {
            throw failure("range needs two or three integers: range(start, stop[, step])")
        }
        let step = bounds.count == 3 ? bounds[2] : 1
        guard step != 0 else { throw failure("range step must not be 0") }
        let values = Array(stride(from: bounds[0], to: bounds[1], by: step))
        guard !values.isEmpty, values.count <= Self.maximumRangeCount else {
            throw failure("range must yield between 1 and \(Self.maximumRangeCount) values")
        }
        return values.map { SweepElement(value: .int($0), text: String($0)) }
    }

    /// Hydra's other override functions: taken as text they would be split at their commas.
    private static let unsupportedFunctions = [
        "interval", "shuffle", "sort", "glob", "tag", "int", "float", "str", "bool", "json_str",
    ]

    /// Guards against a typo such as `range(0,1000000)` launching a million jobs.
    private static let maximumRangeCount = 10_000

    private mutating func parseElement(terminators: Set<Character>) throws -> ConfigNode {
        skipWhitespace()
        guard let next = peek else { throw failure("missing value") }
        switch next {
        case "[": return try parseList()
        case "{": return try parseMap()
        case "'", "\"": return .string(try parseQuoted())
        default: return try parsePrimitive(terminators: terminators)
        }
    }

    private mutating func parseList() throws -> ConfigNode {
        position += 1
        var items: [ConfigNode] = []
        skipWhitespace()
        if consume("]") { return .list(items) }
        repeat {
            items.append(try parseElement(terminators: [",", "]"]))
            skipWhitespace()
        } while consume(",")
        guard consume("]") else { throw failure("expected ']'") }
        return .list(items)
    }

    private mutating func parseMap() throws -> ConfigNode {
        position += 1
        var map = ConfigMap()
        skipWhitespace()
        if consume("}") { return .map(map) }
        repeat {
            skipWhitespace()
            let key: String
            if peek == "'" || peek == "\"" {
                key = try parseQuoted()
            } else {
                key = readUntil([":"]).trimmingCharacters(in: .whitespaces)
            }
            guard !key.isEmpty, consume(":") else { throw failure("expected KEY: VALUE inside {…}") }
            map[key] = try parseElement(terminators: [",", "}"])
            skipWhitespace()
        } while consume(",")
        guard consume("}") else { throw failure("expected '}'") }
        return .map(map)
    }

    private mutating func parseQuoted() throws -> String {
        guard let quote = peek else { throw failure("missing value") }
        position += 1
        var text = ""
        while let character = peek {
            position += 1
            if character == quote { return text }
            if character == "\\", let escaped = peek, escaped == quote || escaped == "\\" {
                text.append(escaped)
                position += 1
            } else {
                text.append(character)
            }
        }
        throw failure("unterminated quoted string")
    }

    /// Reads an unquoted value up to a terminator outside `${…}`, then resolves it like a YAML plain scalar.
    private mutating func parsePrimitive(terminators: Set<Character>) throws -> ConfigNode {
        let text = readUntil(terminators).trimmingCharacters(in: .whitespaces)
        if text.contains("${") { return .string(text) }
        guard !text.contains(where: { "[]{}'\"".contains($0) }) else {
            throw failure("unexpected bracket or quote in '\(text)'; quote the whole value")
        }
        return PlainScalar.resolve(text)
    }

    private mutating func readUntil(_ terminators: Set<Character>) -> String {
        var text = ""
        var interpolationDepth = 0
        while let character = peek {
            if interpolationDepth == 0, terminators.contains(character) { break }
            if character == "$", position + 1 < characters.count, characters[position + 1] == "{" {
                interpolationDepth += 1
                text += "${"
                position += 2
                continue
            }
            if character == "}", interpolationDepth > 0 { interpolationDepth -= 1 }
            text.append(character)
            position += 1
        }
        return text
    }

    private var peek: Character? { position < characters.count ? characters[position] : nil }

    private mutating func skipWhitespace() {
        while let character = peek, character.isWhitespace { position += 1 }
    }

    private mutating func consume(_ character: Character) -> Bool {
        guard peek == character else { return false }
        position += 1
        return true
    }

    private func failure(_ problem: String) -> ConfigError {
        .invalidOverride(override: override, problem: problem)
    }
}
