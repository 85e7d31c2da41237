import Foundation
import MazeWire

/// A training algorithm as the learner service drives it: batches in, new weights out.
///
/// The service owns transport, queueing and versioning; an algorithm (IMPALA, PPO) only consumes
/// `batchesPerUpdate` trajectory batches at a time and returns the weights to broadcast. One instance
/// trains one experiment.
public protocol LearnerAlgorithm {
    /// Batches combined into one update (Maze's `actors_batch_size`).
    var batchesPerUpdate: Int { get }
    /// Which batches are fresh enough to train on.
    var stalenessPolicy: StalenessPolicy { get }
    /// The layout and values every batch must have; the service rejects the others before they are queued.
    /// `nil` (the default) checks the wire format only.
    var batchSchema: BatchSchema? { get }
    /// The weights actors act with, before the first update and after `resume`.
    var weights: [String: WireTensor] { get }
    /// Extra tensors broadcast with the weights, e.g. observation normalization statistics.
    var auxiliary: [String: WireTensor] { get }
    /// Epochs completed and the best evaluation return so far, for `maze status`.
    var progress: TrainingProgress { get }
    /// Whether the experiment is complete (epochs exhausted, early stopping); the service then moves on.
    var isFinished: Bool { get }
    /// Whether the next update has to wait for work running off the service thread (an evaluation whose result
    /// decides the epoch's end). The service then takes no batch, keeps answering its sockets and calls ``poll()``
    /// on every turn of its loop until this is `false`.
    var isWaiting: Bool { get }

    /// One optimizer step on `batches` (exactly `batchesPerUpdate` of them); afterwards `weights` are the new policy.
    mutating func update(with batches: [TrajectoryBatch]) throws

    /// Takes in what finished off the service thread (a completed evaluation), without blocking; may end the
    /// experiment (`isFinished`). Called on every turn of the service loop.
    mutating func poll() throws

    /// Writes a checkpoint of everything needed to resume at policy `version` into `directory`.
    func checkpoint(version: UInt64, to directory: URL) throws

    /// Restores the newest checkpoint in `directory`; returns its policy version, or `nil` if there is none.
    mutating func resume(from directory: URL) throws -> UInt64?
}

extension LearnerAlgorithm {
    public var batchSchema: BatchSchema? { nil }
    /// An algorithm that does all its work in `update` never waits.
    public var isWaiting: Bool { false }
    public mutating func poll() throws {}
}

/// How far an experiment has come.
public struct TrainingProgress: Sendable, Equatable {
    public var epoch: UInt64
    public var bestReturn: Double?

    public init(epoch: UInt64 = 0, bestReturn: Double? = nil) {
        self.epoch = epoch
        self.bestReturn = bestReturn
    }
}
