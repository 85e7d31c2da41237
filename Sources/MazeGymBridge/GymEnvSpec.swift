import Foundation
import MazeCore

/// What a bridged env is and how its servers run, read from a config's `env` section.
///
/// `env._target_: make_gym_maze_env` with `env.name: <Gymnasium id>` makes `gymnasium.make(name, **kwargs)`;
/// `env._target_: "package.module:factory"` calls the user's factory with the keyword arguments. Every key
/// that is not one of the bridge's own (``bridgeKeys``) is a keyword argument. Ids from Maze's docs that
/// Gymnasium has since renamed map to the current version (``renamedIDs``), with a note.
public struct GymEnvSpec: Sendable, Equatable {
    /// The Gymnasium id, or `nil` for a factory.
    public var id: String?
    /// `package.module:factory`, or `nil` for a Gymnasium id.
    public var target: String?
    /// Keyword arguments of `gymnasium.make` or the factory.
    public var kwargs: ComponentArguments
    /// The Python interpreter: `env.python`, else `$MAZE_PYTHON`, else `python3` from `PATH`.
    public var python: String
    /// Server processes per vector env (`env.n_servers`; default one per core).
    public var servers: Int
    /// Seconds a server may take to answer one request (`env.server_timeout`) before it counts as hung.
    public var timeout: Double
    /// Directories put in front of the server's `PYTHONPATH` (`env.python_path`), where a factory's module lives.
    public var pythonPath: [String]
    /// A note for the user (a renamed id), or `nil`.
    public var note: String?

    /// The keys the bridge reads itself; the others go to Python as keyword arguments (`name` too, for a factory).
    public static let bridgeKeys: Set<String> = ["name", "backend", "python", "python_path", "n_servers", "server_timeout"]

    /// Ids Maze's documentation uses that Gymnasium has replaced, and their current version.
    public static let renamedIDs = ["CartPole-v0": "CartPole-v1", "Pendulum-v0": "Pendulum-v1", "LunarLander-v2": "LunarLander-v3"]

    /// The name errors and logs use.
    public var displayName: String { id ?? target ?? "env" }

    /// Reads the spec; `id` or `target` says which env, `arguments` are the section's other keys.
    public init(id: String?, target: String?, arguments: ComponentArguments, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var id = id
        if let given = id, let current = Self.renamedIDs[given] {
            note = "env.name \(given) is \(current) in current Gymnasium versions; using \(current)"
            id = current
        } else {
            note = nil
        }
        self.id = id
        self.target = target
        // `name` is the Gymnasium id's key; a factory may take a `name` argument of its own.
        let ownKeys = target == nil ? Self.bridgeKeys : Self.bridgeKeys.subtracting(["name"])
        kwargs = arguments.filter { !ownKeys.contains($0.key) }
        if let python = try Self.setting("python", arguments.string), !python.isEmpty {
            self.python = python
        } else if let python = environment["MAZE_PYTHON"], !python.isEmpty {
            self.python = python
        } else {
            python = "python3"
        }
        switch arguments["python_path"] ?? .null {
        case .null: pythonPath = []
        case .string(let directory): pythonPath = [directory]
        case .list(let directories):
            pythonPath = try directories.map { directory in
                guard case .string(let path) = directory else {
                    throw GymBridgeError.invalidSetting(key: "env.python_path", problem: "must be a directory or a list of directories")
                }
                return path
            }
        default: throw GymBridgeError.invalidSetting(key: "env.python_path", problem: "must be a directory or a list of directories")
        }
        let servers = try Self.setting("n_servers", arguments.int) ?? ProcessInfo.processInfo.activeProcessorCount
        guard servers >= 1 else { throw GymBridgeError.invalidSetting(key: "env.n_servers", problem: "needs at least one server, got \(servers)") }
        self.servers = servers
        let timeout = try Self.setting("server_timeout", arguments.double) ?? 60
        guard timeout > 0 else { throw GymBridgeError.invalidSetting(key: "env.server_timeout", problem: "must be positive, got \(timeout)") }
        self.timeout = timeout
    }

    /// A typed read of a bridge key, with the error naming the key.
    private static func setting<T>(_ key: String, _ read: (String) throws(MazeError) -> T?) throws -> T? {
        do { return try read(key) } catch { throw GymBridgeError.invalidSetting(key: "env.\(key)", problem: error.description) }
    }
}
