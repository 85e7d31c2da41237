import Foundation
import MazeSystem

/// Runs the Python scripts in `tools/` that check swift-maze against references nobody here wrote
/// (pyzmq, msgpack, numpy, safetensors, …).
///
/// The interpreter is `$MAZE_PYTHON`, else the repository's `.venv/bin/python` made by `tools/setup.sh`,
/// else `python3`. A missing module is an error that says how to install it: interop tests never skip
/// silently.
public enum PythonInterop {
    public struct MissingModules: Error, CustomStringConvertible {
        public let interpreter: String
        public let modules: [String]
        public var description: String {
            "Python interop needs \(modules.joined(separator: ", ")) for \(interpreter); run `tools/setup.sh --tests` (or set MAZE_PYTHON)."
        }
    }

    /// The checkout this file was compiled from.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // MazeTestSupport
        .deletingLastPathComponent()  // Sources
        .deletingLastPathComponent()

    public static var interpreter: String {
        if let explicit = ProcessInfo.processInfo.environment["MAZE_PYTHON"], !explicit.isEmpty {
            return explicit
        }
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        if FileManager.default.isExecutableFile(atPath: venv) {
            return venv
        }
        return "/usr/bin/env"
    }

    private static var interpreterPrefix: [String] {
        interpreter == "/usr/bin/env" ? ["python3"] : []
    }

    /// Throws `MissingModules` unless every module imports.
    public static func requireModules(_ modules: [String]) throws {
        let probe =
            "import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in sys.argv[1:]) else 1)"
        let child = try ChildProcess(executable: interpreter, arguments: interpreterPrefix + ["-c", probe] + modules)
        guard try child.waitForExit(seconds: 60).succeeded else {
            throw MissingModules(interpreter: interpreter, modules: modules)
        }
    }

    /// Starts `tools/<script>` with `arguments`; the caller waits for it (and it is killed if the caller does not).
    public static func start(script: String, arguments: [String] = []) throws -> ChildProcess {
        let path = repositoryRoot.appendingPathComponent("tools").appendingPathComponent(script).path
        return try ChildProcess(executable: interpreter, arguments: interpreterPrefix + ["-u", path] + arguments)
    }
}
