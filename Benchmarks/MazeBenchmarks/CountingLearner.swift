import Foundation
import MazeService
import MazeWire

/// A `LearnerAlgorithm` that trains nothing: it takes `batchesPerUpdate` batches at a time of any staleness,
/// discards them and broadcasts fixed weights, so that `maze bench cluster` measures what the actors can
/// deliver rather than what a real learner can consume.
///
/// Each update still bumps the policy version, so the actors receive and apply a broadcast per update as
/// they would under IMPALA.
struct CountingLearner: LearnerAlgorithm {
    let batchesPerUpdate: Int
    let weights: [String: WireTensor]
    var stalenessPolicy: StalenessPolicy { .boundedLag(.max) }
    var auxiliary: [String: WireTensor] { [:] }
    var progress: TrainingProgress { TrainingProgress() }
    var isFinished: Bool { false }

    mutating func update(with batches: [TrajectoryBatch]) throws {}

    func checkpoint(version: UInt64, to directory: URL) throws {}

    mutating func resume(from directory: URL) throws -> UInt64? { nil }
}
