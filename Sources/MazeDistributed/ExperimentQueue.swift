import Foundation
import MazeWire

/// One submitted experiment and where it stands, as the learner persists it.
public struct ExperimentRecord: Sendable, Equatable, Codable {
    public let id: String
    public internal(set) var state: ExperimentState
    public let configYAML: String
    public let overrides: [String]
    public let commandLine: [String]
    /// Training epochs completed, updated by the learner as it goes.
    public internal(set) var epoch: UInt64 = 0
    /// The best evaluation return so far.
    public internal(set) var bestReturn: Double?
    /// Why the experiment failed, if it did.
    public internal(set) var failure: String?
}

/// The learner's experiments in submission order: queued → running → done/failed/cancelled, one running at a time.
///
/// A value type, so every change can be persisted by `ExperimentStore` as a whole; a learner restarted on the
/// same state file finds the running experiment still running (to resume) and the rest still queued.
public struct ExperimentQueue: Sendable, Equatable, Codable {
    public private(set) var experiments: [ExperimentRecord] = []
    private var nextNumber = 1

    public init() {}

    /// Queues an experiment and returns its id (`exp-0001`, `exp-0002`, …).
    public mutating func submit(_ request: Submit) -> String {
        let id = String(format: "exp-%04d", nextNumber)
        nextNumber += 1
        experiments.append(ExperimentRecord(
            id: id, state: .queued, configYAML: request.configYAML, overrides: request.overrides,
            commandLine: request.commandLine))
        return id
    }

    /// The running experiment, if any.
    public var running: ExperimentRecord? { experiments.first { $0.state == .running } }

    /// The running experiment, or else the oldest queued one, which is marked running.
    public mutating func startNext() -> ExperimentRecord? {
        if let running { return running }
        guard let index = experiments.firstIndex(where: { $0.state == .queued }) else { return nil }
        experiments[index].state = .running
        return experiments[index]
    }

    public func record(_ id: String) -> ExperimentRecord? { experiments.first { $0.id == id } }

    /// Records training progress of a running experiment.
    public mutating func updateProgress(_ id: String, epoch: UInt64, bestReturn: Double?) {
        guard let index = experiments.firstIndex(where: { $0.id == id }) else { return }
        experiments[index].epoch = epoch
        experiments[index].bestReturn = bestReturn
    }

    /// Ends a running experiment as done or failed.
    public mutating func finish(_ id: String, failure: String? = nil) {
        guard let index = experiments.firstIndex(where: { $0.id == id && $0.state == .running }) else { return }
        experiments[index].state = failure == nil ? .done : .failed
        experiments[index].failure = failure
    }

    /// Cancels a queued or running experiment and returns its previous state.
    public mutating func cancel(_ id: String) throws(ControlError) -> ExperimentState {
        guard let index = experiments.firstIndex(where: { $0.id == id }) else {
            throw ControlError(code: ControlErrorCode.unknownExperiment, message: "no experiment '\(id)'")
        }
        let previous = experiments[index].state
        guard !previous.isFinal else {
            throw ControlError(code: ControlErrorCode.alreadyFinished, message: "experiment '\(id)' is already \(previous.rawValue)")
        }
        experiments[index].state = .cancelled
        return previous
    }
}

/// The machine-readable codes of the learner's `Error` replies (docs/PROTOCOL.md).
public enum ControlErrorCode {
    public static let malformed = "malformed"
    public static let unexpectedMessage = "unexpected_message"
    public static let unknownExperiment = "unknown_experiment"
    public static let alreadyFinished = "already_finished"
    public static let invalidConfig = "invalid_config"
    public static let notRegistered = "not_registered"
}

/// Persists an `ExperimentQueue` as JSON in the learner's outputs folder, replacing the file atomically.
public struct ExperimentStore: Sendable {
    public let url: URL

    /// The state file `learner-state.json` in `outputsDirectory`.
    public init(outputsDirectory: URL) {
        url = outputsDirectory.appendingPathComponent("learner-state.json")
    }

    /// The saved queue, or an empty one when there is no state file yet.
    public func load() throws -> ExperimentQueue {
        guard FileManager.default.fileExists(atPath: url.path) else { return ExperimentQueue() }
        do {
            return try JSONDecoder().decode(ExperimentQueue.self, from: Data(contentsOf: url))
        } catch {
            throw ServiceError.stateFile(path: url.path, reason: "unreadable (\(error)); move it away to start with an empty queue")
        }
    }

    public func save(_ queue: ExperimentQueue) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(queue).write(to: url, options: .atomic)
        } catch {
            throw ServiceError.stateFile(path: url.path, reason: "could not be written (\(error))")
        }
    }
}
