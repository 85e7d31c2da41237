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
    /// Keyword arguments of `gymnasium.make` or the factory (a map). Python checks them: an unknown keyword
    /// fails the env's construction with Python's `TypeError`, which the bridge reports with the env's name.
    public var kwargs: ConfigNode
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

    /// The most server processes one vector env may start (`env.n_servers`), far above one machine's cores.
    static let maximumServers = 1_024

    /// The keys the bridge reads itself; the others go to Python as keyword arguments (`name` too, for a factory).
    public static let bridgeKeys: Set<String> = [
        "name", "backend", "python", "python_path", "n_servers", "server_timeout",
    ]

    /// Ids Maze's documentation uses that Gymnasium has replaced, and their current version.
    public static let renamedIDs = [
        "CartPole-v0": "CartPole-v1", "Pendulum-v0": "Pendulum-v1", "LunarLander-v2": "LunarLander-v3",
    ]

    /// The name errors and logs use.
    public var displayName: String { id ?? target ?? "env" }

    /// Reads the spec; `id` or `target` says which env, `arguments` are the section's other keys.
    public init(
        id: String?, target: String?, arguments: ConfigSection,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
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
        kwargs = arguments.removing(ownKeys).node
        if let python = try arguments.optionalString("python"), !python.isEmpty {
            self.python = python
        } else if let python = environment["MAZE_PYTHON"], !python.isEmpty {
            self.python = python
        } else {
            python = "python3"
        }
        // A directory or a list of directories.
        if let directories = arguments.nonNull("python_path") {
            if case .list = directories.node {
                pythonPath = try directories.strings()
            } else {
                pythonPath = [try directories.string()]
            }
        } else {
            pythonPath = []
        }
        servers =
            try arguments.optionalInt("n_servers", in: 1...Self.maximumServers)
            ?? ProcessInfo.processInfo.activeProcessorCount
        timeout = try arguments.optionalDouble("server_timeout") ?? 60
        guard timeout > 0 else {
            throw try arguments.section("server_timeout").invalid("must be positive, got \(timeout)")
        }
    }
}
