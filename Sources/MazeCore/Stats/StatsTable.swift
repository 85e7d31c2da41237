import Foundation

/// Formats ``LogStats`` as Maze's console table: `step|path|value`, a rule of `=`, then one row per
/// statistic with the path as four 22-character cells cut with `..`.
package enum StatsTable {
    static let cellWidth = 22
    static let pathWidth = 4 * cellWidth

    /// The header and rule lines.
    package static var header: String {
        pad("step", 5, right: true) + "|" + pad("path", pathWidth, right: false) + "|" + pad("value", 20, right: true)
            + "\n" + String(repeating: "=", count: 5) + "|" + String(repeating: "=", count: pathWidth) + "|"
            + String(repeating: "=", count: 20)
    }

    /// One row: `step`, the four path cells and the formatted value.
    package static func row(step: Int, key: StatKey, value: StatValue) -> String {
        let path = [key.prefix, key.topic, key.event, key.name].map(cell).joined()
        return pad(String(step), 5, right: true) + "|" + path + "|" + pad(format(value), 20, right: true)
    }

    /// The whole table for one epoch.
    package static func format(step: Int, stats: LogStats) -> String {
        ([header] + stats.entries.map { row(step: step, key: $0.key, value: $0.value) }).joined(separator: "\n")
    }

    /// A value as Maze prints it: `{:.3f}` for numbers, `[len:N, μ:X]` for lists.
    package static func format(_ value: StatValue) -> String {
        switch value {
        case .number(let number):
            String(format: "%.3f", number)
        case .list(let count, let mean):
            "[len:\(count), μ:\(String(format: "%.1f", mean))]"
        }
    }

    private static func cell(_ text: String) -> String {
        text.count > cellWidth ? String(text.prefix(cellWidth - 2)) + ".." : pad(text, cellWidth, right: false)
    }

    private static func pad(_ text: String, _ width: Int, right: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
