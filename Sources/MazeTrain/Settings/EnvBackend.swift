import Foundation
import MazeConfig
import MazeCore
import MazeGymBridge

/// Where an env config's env comes from: a native (registered) env, or a Gymnasium env through the bridge.
///
/// `env=gym_env env.name=<id>` uses the native port when one is registered under the id and the bridge
/// otherwise; `env.backend: native | gymnasium` forces either (`auto` is the default). A `_target_` that is
/// not registered but names a Python factory (`package.module:factory` or a dotted path) is built by the
/// bridge. Ids Maze's docs use that Gymnasium has renamed (``GymEnvSpec/renamedIDs``) map to the current one.
enum EnvBackend {
    case native(name: String, arguments: ConfigSection)
    case gymnasium(GymBridgeHost)

    static let key = "backend"
    static let choices = ["auto", "native", "gymnasium"]

    /// Reads the env section; `registeredName` is the registry name `_target_` maps to.
    static func choose(env: ConfigSection, target: String, registeredName: String, registries: Registries) throws
        -> EnvBackend
    {
        let backend = try env.nonNull(key).map { try $0.string() } ?? "auto"
        guard choices.contains(backend) else {
            throw TrainError.invalidSetting(
                key: "env.backend", problem: "must be one of \(choices.joined(separator: ", ")), got '\(backend)'")
        }
        let isRegistered = { (name: String) in (try? registries.envs.factory(named: name)) != nil }
        if target == "make_gym_maze_env" {
            let given = try env.string("name")
            let id = GymEnvSpec.renamedIDs[given] ?? given
            let arguments = env.removing(["_target_", "name", key])
            if backend == "native", !isRegistered(id) {
                throw TrainError.invalidSetting(
                    key: "env.backend",
                    problem:
                        "native, but \(id) has no native port (use auto or gymnasium to run it through the Gymnasium bridge)"
                )
            }
            if backend == "native" || (backend == "auto" && isRegistered(id)) {
                try refuseBridgeKeys(env, native: id)
                if id != given { note("env.name \(given) is \(id) in current Gymnasium versions; using \(id)") }
                return .native(name: id, arguments: arguments)
            }
            return .gymnasium(try host(GymEnvSpec(id: given, target: nil, arguments: env.removing(["_target_"]))))
        }
        let namesPython = target.contains(":") || target.contains(".")
        if backend == "gymnasium" || (backend == "auto" && !isRegistered(registeredName) && namesPython) {
            return .gymnasium(try host(GymEnvSpec(id: nil, target: target, arguments: env.removing(["_target_"]))))
        }
        try refuseBridgeKeys(env, native: registeredName)
        return .native(name: registeredName, arguments: env.removing(["_target_", key]))
    }

    /// The bridge's own keys (`env.n_servers`, …) would do nothing for a native env: refused, naming the key.
    private static func refuseBridgeKeys(_ env: ConfigSection, native name: String) throws {
        for bridgeKey in GymEnvSpec.bridgeKeys.subtracting(["name", key]).sorted() where env.nonNull(bridgeKey) != nil {
            throw TrainError.invalidSetting(
                key: "env.\(bridgeKey)",
                problem: "only Gymnasium envs served by the bridge use it, and \(name) is native here "
                    + "(set env.backend: gymnasium to run it through the bridge)")
        }
    }

    private static func host(_ spec: GymEnvSpec) throws -> GymBridgeHost {
        if let text = spec.note { note(text) }
        return try GymBridgeHost(spec: spec)
    }

    private static func note(_ text: String) {
        FileHandle.standardError.write(Data("maze: note: \(text)\n".utf8))
    }
}
