import Foundation
import MazeConfig

/// What `maze run … runner=local` starts: a ``LocalCluster`` of a learner in this process and `actorCount` actor
/// worker processes of the same `maze` executable, talking plaintext over `ipc://` sockets in a private temporary
/// folder.
package struct LocalRunPlan: Sendable, Equatable {
    /// The cores the learner's update thread takes while actors act (it runs one BLAS thread, `BLASThreads`):
    /// the actors of an asynchronous algorithm (IMPALA) get the others. Measured with Maze's defaults (IMPALA,
    /// 256×256 networks, CartPole-v1, 2 cores): an actor process spends about 0.8 of the CPU time per sample that
    /// the learner spends training on it, so one actor process per remaining core keeps the learner fed, and every
    /// further process only time-shares the learner's core (docs/OPERATIONS.md, "Sizing a local run"). A
    /// synchronous algorithm (PPO, A2C) waits for each round, so its actors may use every core.
    package static let learnerCPUs = 1
    /// Environments each actor worker steps together.
    package static let envsPerActor = 2

    /// The private folder holding the sockets (removed after the run).
    package let socketDirectory: URL
    /// The learner's base endpoint, `ipc://<socketDirectory>/sockets`.
    package let base: String
    /// Actor processes requested by the config (`runner.concurrency`, IMPALA's `num_actors`; 0 = one per CPU the
    /// learner leaves).
    package let requestedActors: Int
    /// Whether the request was given on the command line (`algorithm.num_actors=4`): then it is what starts.
    package let isExplicitRequest: Bool
    /// The actor processes that fit the cores: one per CPU the learner leaves (at least one), or one per CPU for a
    /// synchronous algorithm.
    package let fittingActors: Int
    /// Actor processes started: a request from the command line as given; one from the config files (Maze's
    /// `num_actors: 8`, written for a cluster) capped at ``fittingActors``; for 0, ``fittingActors``.
    package let actorCount: Int
    /// Where the learner keeps its queue and writes each experiment's outputs (`<id>/`): the run folder.
    package let learnerOutputs: URL
    /// Arguments of each actor process, by worker index.
    package let actorArguments: [[String]]

    /// The plan for `composed` writing into `runFolder`, with sockets in `socketDirectory`; `asynchronous` when the
    /// learner trains while the actors act (it accepts rollouts of older policy versions).
    package init(
        _ composed: ComposedConfig, runFolder: URL, socketDirectory: URL, asynchronous: Bool = true,
        cpuCount: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws {
        self.socketDirectory = socketDirectory
        base = LocalCluster.base(in: socketDirectory)
        let cpus = max(1, cpuCount)
        let (requested, key) = try Self.requestedActors(composed.root)
        fittingActors = asynchronous ? Self.actorCPUs(of: cpus) : cpus
        requestedActors = requested == 0 ? fittingActors : requested
        isExplicitRequest = requested > 0 && key.map { Self.isOverridden($0, in: composed.overrides) } ?? false
        actorCount = isExplicitRequest ? requestedActors : min(requestedActors, fittingActors)
        learnerOutputs = runFolder
        // ES workers evaluate one perturbation's episode at a time: `--envs` does not apply to them.
        let envs = composed.choice("algorithm") == "es" ? nil : Self.envsPerActor
        actorArguments = (0..<actorCount).map { [base] index in
            LocalCluster.workerArguments(base: base, index: index, envs: envs)
        }
    }

    /// The cores of `cpus` the learner of an asynchronous algorithm leaves to the actors: all but ``learnerCPUs``,
    /// at least one.
    package static func actorCPUs(of cpus: Int) -> Int { max(1, cpus - learnerCPUs) }

    /// `runner.concurrency`, else `algorithm.num_actors`, else 0 (one per CPU the learner leaves), with the key
    /// it was read from.
    private static func requestedActors(_ root: ConfigSection) throws -> (count: Int, key: String?) {
        let keys = [("runner", "concurrency"), ("algorithm", "num_actors")]
        for (section, key) in keys {
            guard let value = root.nonNull(section)?.nonNull(key) else { continue }
            let count = try value.int()
            guard count >= 0 else {
                throw MazeRunError.invalidConfig(
                    key: "\(section).\(key)", problem: "must not be negative, got \(count)")
            }
            return (count, "\(section).\(key)")
        }
        return (0, nil)
    }

    /// Whether `overrides` (as given on the command line) set `key`, also as `+key=` or `++key=`.
    private static func isOverridden(_ key: String, in overrides: [String]) -> Bool {
        overrides.contains { override in
            let assignment = override.drop { $0 == "+" }
            return assignment.hasPrefix(key + "=")
        }
    }
}
