import Foundation
import MazeService
import MazeWire

/// A test-only "algorithm" that counts the batches it is given; its only weight is that count.
public struct CountingAlgorithm: LearnerAlgorithm {
    public let batchesPerUpdate: Int
    public let stalenessPolicy: StalenessPolicy
    public let updatesToFinish: Int
    /// How long it waits after its last update before it is finished, as a learner waits for its last evaluation:
    /// `isWaiting` until a `poll()` at least that long after the last update.
    public let finalWait: Duration
    public private(set) var consumed: Int64 = 0
    public private(set) var updates = 0
    public private(set) var weights: [String: WireTensor]
    private var lastUpdate: ContinuousClock.Instant?
    private var waited = false
    public var auxiliary: [String: WireTensor] { [:] }
    public var progress: TrainingProgress { TrainingProgress(epoch: UInt64(updates), bestReturn: Double(consumed)) }
    public var isFinished: Bool { updates >= updatesToFinish && !isWaiting }
    public var isWaiting: Bool { updates >= updatesToFinish && finalWait > .zero && !waited }

    public init(
        batchesPerUpdate: Int = 2, stalenessPolicy: StalenessPolicy = .boundedLag(4), updatesToFinish: Int = .max,
        finalWait: Duration = .zero
    ) throws {
        self.batchesPerUpdate = batchesPerUpdate
        self.stalenessPolicy = stalenessPolicy
        self.updatesToFinish = updatesToFinish
        self.finalWait = finalWait
        weights = try Self.weights(consumed: 0)
    }

    public mutating func update(with batches: [TrajectoryBatch]) throws {
        consumed += Int64(batches.count)
        updates += 1
        lastUpdate = .now
        weights = try Self.weights(consumed: consumed)
    }

    public mutating func poll() throws {
        guard isWaiting else { return }
        let last = lastUpdate ?? .now
        lastUpdate = last
        if ContinuousClock.now >= last + finalWait { waited = true }
    }

    private struct Checkpoint: Codable {
        var version: UInt64
        var consumed: Int64
        var updates: Int
        /// Restores a NaN weight, as a diverged model's checkpoint would hold.
        var nan: Bool?
    }

    public func checkpoint(version: UInt64, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = try JSONEncoder().encode(Checkpoint(version: version, consumed: consumed, updates: updates))
        try data.write(to: directory.appendingPathComponent("counting.json"), options: .atomic)
    }

    public mutating func resume(from directory: URL) throws -> UInt64? {
        let url = directory.appendingPathComponent("counting.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let checkpoint = try JSONDecoder().decode(Checkpoint.self, from: Data(contentsOf: url))
        consumed = checkpoint.consumed
        updates = checkpoint.updates
        weights =
            checkpoint.nan == true
            ? ["consumed": try WireTensor(shape: [1], values: [Float.nan])] : try Self.weights(consumed: consumed)
        return checkpoint.version
    }

    public static func weights(consumed: Int64) throws -> [String: WireTensor] {
        ["consumed": try WireTensor(shape: [], values: [consumed])]
    }
}

/// A test-only acting policy producing small synthetic rollouts; it refuses to collect before it has weights.
public struct SyntheticPolicy: ActingPolicy {
    public enum Failure: Error { case noWeights }

    public private(set) var appliedVersions: [UInt64] = []
    public static let steps = 4
    public static let envs = 2

    public init() {}

    public mutating func apply(_ update: PolicyUpdate) throws {
        guard update.weights["consumed"] != nil else { throw Failure.noWeights }
        appliedVersions.append(update.version)
    }

    public mutating func collect(_ identity: RolloutIdentity) throws -> TrajectoryBatch {
        guard !appliedVersions.isEmpty else { throw Failure.noWeights }
        return try Self.batch(identity)
    }

    public static func batch(_ identity: RolloutIdentity) throws -> TrajectoryBatch {
        let cells = steps * envs
        return try TrajectoryBatch(
            experimentID: identity.experimentID, actorID: identity.actorID, policyVersion: identity.policyVersion,
            steps: steps, envs: envs,
            observations: [
                "observation": try WireTensor(
                    shape: [steps + 1, envs, 4], values: [Float](repeating: 0.5, count: (cells + envs) * 4))
            ],
            actions: ["action": try WireTensor(shape: [steps, envs], values: [Int64](repeating: 1, count: cells))],
            rewards: try WireTensor(shape: [steps, envs], values: [Float](repeating: 1, count: cells)),
            terminated: try WireTensor(shape: [steps, envs], bools: [Bool](repeating: false, count: cells)),
            truncated: try WireTensor(shape: [steps, envs], bools: [Bool](repeating: false, count: cells)),
            behaviourLogProbs: try WireTensor(shape: [steps, envs], values: [Float](repeating: -0.69, count: cells)),
            episodes: [EpisodeSummary(episodeReturn: 4, length: 4)]
        )
    }
}
