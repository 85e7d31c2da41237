import Foundation

@testable import MazeConfig

/// Helpers shared by the composition tests: the shipped search path and throw-away user config folders.
enum ConfigFixtures {
    static let shippedComposer = ConfigComposer(
        searchPath: ConfigSearchPath(shippedDirectory: ConfigSearchPath.shippedDirectory(environment: [:])))

    /// Writes `files` (relative path → YAML text) into a fresh temporary folder, runs `body` with it, removes it.
    static func withUserDirectory(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("maze-config-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (path, text) in files {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try body(directory)
    }

    /// A composer searching only `directory` (standing in for the shipped folder).
    static func composer(onlyIn directory: URL) -> ConfigComposer {
        ConfigComposer(searchPath: ConfigSearchPath(shippedDirectory: directory))
    }
}
