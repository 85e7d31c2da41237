/// Serialises a `ConfigNode` as block-style YAML in the tree's own key order, so the config saved into
/// a run folder is stable and reads back (through `YAMLReader`) to the same tree.
enum YAMLWriter {
    static func document(_ node: ConfigNode) -> String {
        switch node {
        case .map(let map) where !map.isEmpty:
            return lines(map, indent: 0).joined(separator: "\n") + "\n"
        case .list(let items) where !items.isEmpty:
            return lines(items, indent: 0).joined(separator: "\n") + "\n"
        default:
            return inline(node) + "\n"
        }
    }

    private static func lines(_ map: ConfigMap, indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        return map.entries.flatMap { key, value -> [String] in
            let head = pad + scalarText(key) + ":"
            switch value {
            case .map(let child) where !child.isEmpty:
                return [head] + lines(child, indent: indent + 2)
            case .list(let items) where !items.isEmpty:
                return [head] + lines(items, indent: indent)
            default:
                return [head + " " + inline(value)]
            }
        }
    }

    private static func lines(_ items: [ConfigNode], indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        return items.flatMap { item -> [String] in
            let nested: [String]
            switch item {
            case .map(let child) where !child.isEmpty:
                nested = lines(child, indent: indent + 2)
            case .list(let children) where !children.isEmpty:
                nested = lines(children, indent: indent + 2)
            default:
                return [pad + "- " + inline(item)]
            }
            // The first nested line moves up beside the dash: `- key: value`.
            let first = nested[0].dropFirst(indent + 2)
            return [pad + "- " + first] + nested.dropFirst()
        }
    }

    private static func inline(_ node: ConfigNode) -> String {
        switch node {
        case .map: return "{}"
        case .list: return "[]"
        case .string(let text): return scalarText(text)
        case .int(let value): return String(value)
        case .double(let value):
            if value.isNaN { return ".nan" }
            if value.isInfinite { return value > 0 ? ".inf" : "-.inf" }
            return String(value)
        case .bool(let value): return String(value)
        case .null: return "null"
        }
    }

    /// Writes a string plain when it would read back as the same string, quoted otherwise.
    private static func scalarText(_ text: String) -> String {
        if isSafePlain(text) { return text }
        if text.allSatisfy({ !$0.isNewline && !($0.asciiValue.map { $0 < 0x20 } ?? false) }) {
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        return doubleQuoted(text)
    }

    private static func isSafePlain(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last,
            PlainScalar.resolve(text) == .string(text),
            !"-?:,[]{}#&*!|>'\"%@`".contains(first), !first.isWhitespace, !last.isWhitespace,
            !text.contains(": "), !text.contains(" #"), !text.hasSuffix(":")
        else { return false }
        return text.allSatisfy { !$0.isNewline && ($0.asciiValue.map { $0 >= 0x20 && $0 != 0x7F } ?? true) }
    }

    private static func doubleQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

extension ConfigNode {
    /// The node as a block-style YAML document (the form saved into each run folder).
    public var yaml: String { YAMLWriter.document(self) }

    /// Parses a YAML document; `file` names the source in syntax errors.
    public init(yaml text: String, file: String = "<string>") throws {
        self = try YAMLReader.parse(text, file: file)
    }
}
