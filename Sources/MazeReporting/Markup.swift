/// Escaping for text placed in the HTML report, which is also well-formed XML.
enum Markup {
    /// `text` with `&`, `<`, `>`, `"` and `'` replaced by entities XML knows.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }
}
