import Foundation

/// The ordered list of directories configs are looked up in: user folders given with `-cd DIR` first,
/// then the shipped `conf/`. The first directory holding a file wins, so users can shadow any shipped
/// config; group options are the union over all directories.
public struct ConfigSearchPath: Sendable, Equatable {
    /// The directories, highest priority first.
    public let directories: [URL]

    /// A search path of user directories followed by the shipped configuration directory.
    public init(userDirectories: [URL] = [], shippedDirectory: URL) {
        self.directories = userDirectories + [shippedDirectory]
    }

    /// The shipped `conf/` directory: `$MAZE_CONFIG_DIR` when set, otherwise the package's own `conf/`
    /// (found relative to this source file, which is where development and test builds run from).
    public static func shippedDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let override = environment["MAZE_CONFIG_DIR"], !override.isEmpty {
            return URL(fileURLWithPath: override, isDirectory: true)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // MazeConfig
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // package root
            .appendingPathComponent("conf", isDirectory: true)
    }

    /// The file for a config name such as `conf_train` or `algorithm/ppo`, from the first directory that has it.
    func file(named name: String) -> URL? {
        directories.lazy
            .map { $0.appendingPathComponent(name + ".yaml") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Whether any directory has a folder for this group.
    func isGroup(_ group: String) -> Bool {
        directories.contains { directory in
            var isDirectory: ObjCBool = false
            let path = directory.appendingPathComponent(group, isDirectory: true).path
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// The option names of a group (or the root configs for `""`), sorted, over all directories.
    public func options(inGroup group: String) -> [String] {
        var names = Set<String>()
        for directory in directories {
            let folder = group.isEmpty ? directory : directory.appendingPathComponent(group, isDirectory: true)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            names.formUnion(files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
        }
        return names.sorted()
    }

    /// The error for a config that does not exist, listing the group's options and the nearest one.
    func missingOption(group: String, option: String) -> ConfigError {
        let available = options(inGroup: group)
        let suggestion = NearestMatch.suggestion(for: option, among: available)
        if group.isEmpty {
            return .rootConfigNotFound(name: option, available: available, suggestion: suggestion)
        }
        return .groupOptionNotFound(group: group, option: option, available: available, suggestion: suggestion)
    }
}
