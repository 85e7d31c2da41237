import ArgumentParser
import Foundation
import MazeCore
import MazeGymBridge

/// `maze bench bridge`: env steps/s of Gymnasium envs stepped through the bridge (16 envs over 1 and 2 server
/// processes, random actions) against Gymnasium's own vector envs holding the same 16 envs: `SyncVectorEnv` (one
/// process, like one server) and `AsyncVectorEnv` with 2 worker processes (like two servers;
/// `python -m maze_gym_bridge.bench`). Each repeat measures the four back to back, and each ratio is taken within
/// its repeat, so that load from other processes weighs on both sides alike; the report gives the medians.
struct BridgeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bridge",
        abstract: "Gymnasium env steps/s through the bridge against Gymnasium's own vector envs.",
        discussion: """
            Needs the bridge's Python packages (gymnasium[box2d], msgpack and `pip install ./python`) for the \
            interpreter given by --python, MAZE_PYTHON or python3.
            """
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "The Python interpreter (default: MAZE_PYTHON, else python3).")
    var python: String?

    private static let envCount = 16
    /// Gymnasium's `AsyncVectorEnv` workers, as many as the bridge's servers it is compared with.
    private static let asyncWorkers = 2
    /// Target ratios bridge / Gymnasium per env: CartPole is the cheapest env, where the cost per message shows most.
    private static let targets = ["CartPole-v1": 0.5, "LunarLander-v3": 0.8]

    /// Each measurement's window: `--seconds`, else 3 s, long enough for the rates of a loaded machine to settle.
    private var seconds: Double { options.requestedSeconds ?? 3 }

    func run() throws {
        var report = BenchmarkReport(title: "bridge")
        for id in ["CartPole-v1", "LunarLander-v3"] {
            var arguments = ConfigMap()
            if let python { arguments["python"] = .string(python) }
            let vectors = try [1, Self.asyncWorkers].map { servers in
                arguments["n_servers"] = .int(servers)
                let host = try GymBridgeHost(
                    spec: GymEnvSpec(id: id, target: nil, arguments: ConfigSection(root: .map(arguments))))
                let vector = try SequentialVectorEnv(envs: try (0..<Self.envCount).map { _ in try host.makeEnv() })
                try vector.reset(seed: 1)
                return (host: host, vector: vector)
            }
            // Per comparison (1 server vs SyncVectorEnv, 2 servers vs AsyncVectorEnv): Gymnasium's rates, the
            // bridge's, and their ratios, one per repeat.
            var measured = [(gymnasium: [Double], bridge: [Double], ratios: [Double])](
                repeating: ([], [], []), count: vectors.count)
            for _ in 0..<options.repeats {
                let baseline = try gymnasiumRates(id: id, python: vectors[0].host.spec.python)
                for (index, gymnasium) in [baseline.sync, baseline.async].enumerated() {
                    let bridge = try rate(vectors[index].vector)
                    measured[index].gymnasium.append(gymnasium)
                    measured[index].bridge.append(bridge)
                    measured[index].ratios.append(bridge / gymnasium)
                }
            }
            let key = id.lowercased().replacingOccurrences(of: "-", with: "_")
            let comparisons = [
                (servers: "1 server", baseline: "sync", name: "SyncVectorEnv", holding: "16 envs"),
                (servers: "2 servers", baseline: "async2", name: "AsyncVectorEnv", holding: "16 envs in 2 workers"),
            ]
            for (index, comparison) in comparisons.enumerated() {
                let bridgeKey = "\(key)_bridge\(index + 1)"
                report.add(
                    "\(key)_gymnasium_\(comparison.baseline)_steps_per_s", median(measured[index].gymnasium),
                    unit: "steps/s", label: "\(id): Gymnasium \(comparison.name), \(comparison.holding)")
                report.add(
                    "\(bridgeKey)_steps_per_s", median(measured[index].bridge), unit: "steps/s",
                    label: "\(id): bridge, 16 envs on \(comparison.servers)")
                report.addMedianRatio(
                    "\(bridgeKey)_over_\(comparison.baseline)", of: measured[index].ratios,
                    label: "\(id): bridge (\(comparison.servers)) / \(comparison.name)",
                    target: Self.targets[id] ?? 0.5)
            }
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
        return try medianRate(seconds: seconds, repeats: 1) {
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
            String(seconds), "--async-workers", String(Self.asyncWorkers),
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
