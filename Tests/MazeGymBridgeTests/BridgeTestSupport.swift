import Foundation
import MazeConfig
import MazeCore
import MazeGymBridge
import MazeTestSupport
import MazeTrain

/// Bridged envs for the tests: the venv's interpreter (`MAZE_PYTHON`, as tools/test.sh sets it) and the test
/// envs of `PythonEnvs/bridge_test_envs.py`.
enum BridgeTestSupport {
    static let pythonEnvs = PythonInterop.repositoryRoot.appendingPathComponent("Tests/MazeGymBridgeTests/PythonEnvs")
        .path

    /// Fails with how to install them unless gymnasium and the bridge package import.
    static func requirePython() throws {
        try PythonInterop.requireModules(["gymnasium", "maze_gym_bridge"])
    }

    /// A host for `target` (`bridge_test_envs:<factory>`) or a Gymnasium `id`, with `arguments`.
    static func host(id: String? = nil, target: String? = nil, servers: Int = 1, _ arguments: ConfigNode = [:]) throws
        -> GymBridgeHost
    {
        try requirePython()
        let arguments = ConfigSection(
            root: arguments.merging(["python_path": .string(pythonEnvs), "n_servers": .int(servers)]))
        // PythonInterop names `/usr/bin/env` when it falls back to `python3` from the PATH.
        let python = PythonInterop.interpreter == "/usr/bin/env" ? "python3" : PythonInterop.interpreter
        return try GymBridgeHost(
            spec: GymEnvSpec(id: id, target: target, arguments: arguments, environment: ["MAZE_PYTHON": python]))
    }

    /// The env config of `yaml` (an `env:` section).
    static func configuration(_ yaml: String) throws -> EnvConfiguration {
        try EnvConfiguration(config: ConfigSection(root: ConfigNode(yaml: yaml)))
    }
}
