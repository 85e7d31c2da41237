import Foundation
import MazeConfig

/// What `maze run … runner=local` starts: a ``LocalCluster`` of a learner in this process and `actorCount` actor
/// worker processes of the same `maze` executable, talking plaintext over `ipc://` sockets in a private temporary
/// folder.
package struct LocalRunPlan: Sendable, Equatable {
    /// Actor processes per CPU at most: more only time-share the cores the learner also needs.
    package static let actorsPerCPU = 2
    /// Environments each actor worker steps together.
    package static let envsPerActor = 2

    /// The private folder holding the sockets (removed after the run).
    package let socketDirectory: URL
    /// The learner's base endpoint, `ipc://<socketDirectory>/sockets`.
    package let base: String
    /// Actor processes requested by the config (`runner.concurrency`, IMPALA's `num_actors`; 0 = CPUs).
    package let requestedActors: Int
    /// Actor processes started: the request capped at ``actorsPerCPU`` per CPU.
    package let actorCount: Int
    /// Where the learner keeps its queue and writes each experiment's outputs (`<id>/`): the run folder.
    package let learnerOutputs: URL
    /// Arguments of each actor process, by worker index.
    package let actorArguments: [[String]]

    /// The plan for `composed` writing into `runFolder`, with sockets in `socketDirectory`.
    package init(
        _ composed: ComposedConfig, runFolder: URL, socketDirectory: URL,
        cpuCount: Int = ProcessInfo.processInfo.activeProcessorCount
    ) throws {
        self.socketDirectory = socketDirectory
        base = LocalCluster.base(in: socketDirectory)
        let cpus = max(1, cpuCount)
        let requested = try Self.requestedActors(composed.root)
        requestedActors = requested == 0 ? cpus : requested
        actorCount = min(requestedActors, Self.actorsPerCPU * cpus)
        learnerOutputs = runFolder
        actorArguments = (0..<actorCount).map { [base] index in
            LocalCluster.workerArguments(base: base, index: index, envs: Self.envsPerActor)
        }
    }

    /// `runner.concurrency`, else `algorithm.num_actors`, else 0 (one per CPU).
    private static func requestedActors(_ root: ConfigSection) throws -> Int {
        let keys = [("runner", "concurrency"), ("algorithm", "num_actors")]
        for (section, key) in keys {
            guard let value = root.nonNull(section)?.nonNull(key) else { continue }
            let count = try value.int()
            guard count >= 0 else {
                throw MazeRunError.invalidConfig(
                    key: "\(section).\(key)", problem: "must not be negative, got \(count)")
            }
            return count
        }
        return 0
    }
}
