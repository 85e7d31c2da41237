import ArgumentParser
import Foundation
import MazeCore
import MazeGymBridge

/// `maze bench bridge`: env steps/s of Gymnasium envs stepped through the bridge (16 envs over 1 and 2 server
/// processes, random actions) against Gymnasium's own `SyncVectorEnv` (16 envs) and `AsyncVectorEnv` (2 worker
/// processes), measured in turns in the same run (`python -m maze_gym_bridge.bench`).
struct BridgeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Gymnasium env steps/s through the bridge against Gymnasium's own vector envs.",
        discussion: """
            Needs the bridge's Python packages (gymnasium[box2d], pyzmq, msgpack and `pip install ./python`) for the \
            interpreter given by --python, MAZE_PYTHON or python3.
            """
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "The Python interpreter (default: MAZE_PYTHON, else python3).")
    var python: String?

    private static let envCount = 16
    /// Target ratios bridge / SyncVectorEnv per env: CartPole is the cheapest env, where the cost per message shows most.
    private static let targets = ["CartPole-v1": 0.5, "LunarLander-v3": 0.8]

    func run() throws {
        var report = BenchmarkReport(title: "bridge")
        for id in ["CartPole-v1", "LunarLander-v3"] {
            var arguments = ConfigMap()
            if let python { arguments["python"] = .string(python) }
            var bridged: [Int: [Double]] = [1: [], 2: []]
            var sync: [Double] = []
            var async: [Double] = []
            let vectors = try [1, 2].map { servers in
                arguments["n_servers"] = .int(servers)
                let host = try GymBridgeHost(
                    spec: GymEnvSpec(id: id, target: nil, arguments: ConfigSection(root: .map(arguments))))
                let vector = try SequentialVectorEnv(envs: try (0..<Self.envCount).map { _ in try host.makeEnv() })
                try vector.reset(seed: 1)
                return (servers, vector, host.spec.python)
            }
            for _ in 0..<options.repeats {
                let baseline = try gymnasiumRates(id: id, python: vectors[0].2)
                sync.append(baseline.sync)
                async.append(baseline.async)
                for (servers, vector, _) in vectors { bridged[servers, default: []].append(try rate(vector)) }
            }
            let key = id.lowercased().replacingOccurrences(of: "-", with: "_")
            let syncRate = median(sync)
            report.add(
                "\(key)_gymnasium_sync_steps_per_s", syncRate, unit: "steps/s",
                label: "\(id): Gymnasium SyncVectorEnv, 16 envs (baseline)")
            report.add(
                "\(key)_gymnasium_async2_steps_per_s", median(async), unit: "steps/s",
                label: "\(id): Gymnasium AsyncVectorEnv, 2 workers")
            for servers in [1, 2] {
                let rate = median(bridged[servers] ?? [])
                report.add(
                    "\(key)_bridge\(servers)_steps_per_s", rate, unit: "steps/s",
                    label: "\(id): bridge, 16 envs on \(servers) server(s)")
                report.addRatio(
                    "\(key)_bridge\(servers)_over_sync", rate, over: syncRate,
                    label: "\(id): bridge (\(servers) server(s)) / SyncVectorEnv",
                    target: Self.targets[id] ?? 0.5)
            }
            report.addRatio(
                "\(key)_bridge2_over_async2", median(bridged[2] ?? []), over: median(async),
                label: "\(id): bridge (2 servers) / AsyncVectorEnv (2 workers)", target: Self.targets[id] ?? 0.5)
        }
        print(report.render(json: options.json))
    }

    /// Env steps per second of `vector` with uniformly random actions (drawn up front, as the baseline does).
    private func rate(_ vector: SequentialVectorEnv) throws -> Double {
        var random = MazeRandom(seed: 7)
        let rows = try (0..<256).map { _ in
            try (0..<vector.count).flatMap { _ in
                try vector.actionSpace.flatten(vector.actionSpace.sample(using: &random))
            }
        }
        var step = 0
        return try medianRate(seconds: options.seconds, repeats: 1) {
            for _ in 0..<20 {
                vector.actions = rows[step % rows.count]
                try vector.step()
                step += 1
            }
            return 20 * vector.count
        }
    }

    /// One run of `python -m maze_gym_bridge.bench` for `id`.
    private func gymnasiumRates(id: String, python: String) throws -> (sync: Double, async: Double) {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            python, "-m", "maze_gym_bridge.bench", "--env", id, "--envs", String(Self.envCount), "--seconds",
            String(options.seconds),
            "--async-workers", "2",
        ]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let figures = try JSONSerialization.jsonObject(with: data) as? [String: Double],
            let sync = figures["sync_steps_per_s"], let async = figures["async_steps_per_s"]
        else {
            throw ValidationError(
                "`\(python) -m maze_gym_bridge.bench --env \(id)` failed (exit \(process.terminationStatus)); install the bridge: pip install ./python"
            )
        }
        return (sync, async)
    }
}
