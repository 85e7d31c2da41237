/// Writes a value in the override grammar `OverrideValueParser` reads, so programmatic overrides have
/// a faithful command-line form (recorded with each run).
extension ConfigNode {
    var overrideText: String {
        switch self {
        case .map(let map):
            return "{"
                + map.entries.map { "\(Self.overrideString($0.key)): \($0.value.overrideText)" }
                .joined(separator: ", ") + "}"
        case .list(let items):
            return "[" + items.map(\.overrideText).joined(separator: ", ") + "]"
        case .string(let text):
            return Self.overrideString(text)
        case .double(let value) where value.isNaN:
            return "nan"
        case .double(let value) where value.isInfinite:
            return value > 0 ? "inf" : "-inf"
        case .null:
            return "null"
        case .int, .double, .bool:
            return interpolationText ?? ""
        }
    }

    /// A string bare when it reads back as itself, single-quoted otherwise.
    private static func overrideString(_ text: String) -> String {
        let isBare =
            PlainScalar.resolve(text) == .string(text)
            && !text.contains(where: { ",[]{}:'\"\\$".contains($0) || $0.isWhitespace })
        guard !isBare else { return text }
        return "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
