import Foundation
import MazeService
import MazeTrain
import MazeWire

/// The learner of a submitted experiment, for the algorithm it names: ``SACLearner`` for `algorithm=sac|sacfd`,
/// ``ActorCriticLearner`` for A2C, PPO and IMPALA. The learner daemon (`maze learner`, `runner=local`) serves any of
/// them through this one type.
public struct ExperimentLearner: LearnerAlgorithm {
    private var base: any LearnerAlgorithm

    /// The learner of `record`, writing into `outputsDirectory/<id>/`; the config's names are looked up in
    /// `components`; `log` receives the console lines (the statistics table).
    public init(
        record: ExperimentRecord, outputsDirectory: URL, components: MazeComponents = .builtIn,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        switch record.algorithm {
        case "sac"?, "sacfd"?:
            let submitted = try SACLearner.submitted(record, outputsDirectory: outputsDirectory, components: components)
            base = try SACLearner(
                config: submitted.config, configYAML: record.configYAML, outputDirectory: submitted.directory,
                commandLine: submitted.commandLine, log: log)
        default:
            base = try ActorCriticLearner(
                record: record, outputsDirectory: outputsDirectory, components: components, log: log)
        }
    }

    public var batchesPerUpdate: Int { base.batchesPerUpdate }
    public var stalenessPolicy: StalenessPolicy { base.stalenessPolicy }
    public var batchSchema: BatchSchema? { base.batchSchema }
    public var weights: [String: WireTensor] { base.weights }
    public var auxiliary: [String: WireTensor] { base.auxiliary }
    public var progress: TrainingProgress { base.progress }
    public var isFinished: Bool { base.isFinished }
    public var isWaiting: Bool { base.isWaiting }

    public mutating func update(with batches: [TrajectoryBatch]) throws {
        try base.update(with: batches)
    }

    public mutating func poll() throws {
        try base.poll()
    }

    public func checkpoint(version: UInt64, to directory: URL) throws {
        try base.checkpoint(version: version, to: directory)
    }

    public mutating func resume(from directory: URL) throws -> UInt64? {
        try base.resume(from: directory)
    }
}
