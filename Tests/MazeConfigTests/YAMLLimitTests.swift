import Foundation
import Testing

@testable import MazeConfig

/// YAML that expands beyond the node or depth limits is refused quickly instead of exhausting memory (issue 14).
@Suite struct YAMLLimitTests {
    /// A "billion laughs" document: `levels` anchors, each a list of nine aliases of the one before.
    static func aliasBomb(levels: Int) -> String {
        var text = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        let names = "abcdefghijklmnopqrstuvwxyz".map(String.init)
        for level in 1..<levels {
            let previous = names[level - 1]
            text +=
                "\(names[level]): &\(names[level]) ["
                + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        return text
    }

    @Test("A 520-byte alias bomb is refused within a second, naming the node limit")
    func aliasBombIsRefused() throws {
        let bomb = Self.aliasBomb(levels: 9)
        #expect(bomb.utf8.count < 600)
        let start = Date()
        #expect {
            try ConfigNode(yaml: bomb, file: "bomb.yaml")
        } throws: { error in
            "\(error)".contains("bomb.yaml") && "\(error)".contains("\(YAMLReader.maxNodes) nodes")
        }
        #expect(Date().timeIntervalSince(start) < 1)
    }

    @Test("Nesting deeper than the limit is refused; a few aliases within the limits still expand")
    func depthAndModestAliases() throws {
        let deep =
            String(repeating: "[", count: YAMLReader.maxDepth + 2)
            + String(repeating: "]", count: YAMLReader.maxDepth + 2)
        #expect(throws: ConfigError.self) { try ConfigNode(yaml: deep) }
        let modest = try ConfigNode(yaml: Self.aliasBomb(levels: 3))
        #expect(ConfigSection(root: modest).contains("c"))
    }
}
