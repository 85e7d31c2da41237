/// Resolves an unquoted scalar the way Hydra/OmegaConf users expect, for YAML files and command-line
/// overrides alike: `null`/`~`, `true`/`false`, integers, and floats including `1e-3` (which plain
/// YAML 1.1 would leave a string); everything else stays a string.
enum PlainScalar {
    static func resolve(_ text: String) -> ConfigNode {
        switch text.lowercased() {
        case "", "~", "null": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        case ".inf", "+.inf", "inf", "+inf": return .double(.infinity)
        case "-.inf", "-inf": return .double(-.infinity)
        case ".nan", "nan": return .double(.nan)
        default: break
        }
        let digits = text.replacingOccurrences(of: "_", with: "")
        if looksNumeric(digits) {
            if let value = Int(digits) { return .int(value) }
            if let value = Double(digits) { return .double(value) }
        }
        return .string(text)
    }

    /// Restricts number parsing to decimal notation, so `0x1F` or `Infinity` stay strings.
    private static func looksNumeric(_ text: String) -> Bool {
        guard let first = text.first, first.isNumber || "+-.".contains(first) else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }
            && text.contains(where: \.isNumber)
    }
}
