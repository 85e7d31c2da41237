import Foundation
import MazeWire

/// One submitted experiment and where it stands, as the learner persists it.
public struct ExperimentRecord: Sendable, Equatable, Codable {
    public let id: String
    public internal(set) var state: ExperimentState
    public let configYAML: String
    public let overrides: [String]
    public let commandLine: [String]
    /// The `algorithm=` option it was submitted with; `nil` in records of submitters that predate the field.
    public var algorithm: String?
    /// Training epochs completed, updated by the learner as it goes.
    public internal(set) var epoch: UInt64 = 0
    /// The best evaluation return so far.
    public internal(set) var bestReturn: Double?
    /// Why the experiment failed, if it did.
    public internal(set) var failure: String?
    /// Set while the learner builds the experiment (model, optimizer, resume); a learner that finds it set
    /// on restart died during the build, and fails the experiment instead of building it again.
    public internal(set) var building: Bool?
}

/// The learner's experiments in submission order: queued → running → done/failed/cancelled, one running at a time.
///
/// A value type, so every change can be persisted by `ExperimentStore` as a whole; a learner restarted on the
/// same state file finds the running experiment still running (to resume) and the rest still queued.
struct ExperimentQueue: Sendable, Equatable, Codable {
    private(set) var experiments: [ExperimentRecord] = []
    private var nextNumber = 1

    init() {}

    /// Queues an experiment and returns its id (`exp-0001`, `exp-0002`, …).
    mutating func submit(_ request: Submit) -> String {
        let id = String(format: "exp-%04d", nextNumber)
        nextNumber += 1
        experiments.append(
            ExperimentRecord(
                id: id, state: .queued, configYAML: request.configYAML, overrides: request.overrides,
                commandLine: request.commandLine, algorithm: request.algorithm))
        return id
    }

    /// The running experiment, if any.
    var running: ExperimentRecord? { experiments.first { $0.state == .running } }

    /// Experiments waiting to run.
    var queuedCount: Int { experiments.count { $0.state == .queued } }

    /// The running experiment (to resume), or else the oldest queued one; it is marked `building`, and
    /// becomes running only through `markBuilt(_:)`.
    mutating func beginBuildingNext() -> ExperimentRecord? {
        guard
            let index = experiments.firstIndex(where: { $0.state == .running })
                ?? experiments.firstIndex(where: { $0.state == .queued })
        else { return nil }
        experiments[index].building = true
        return experiments[index]
    }

    /// Marks a built experiment running.
    mutating func markBuilt(_ id: String) {
        guard let index = experiments.firstIndex(where: { $0.id == id }) else { return }
        experiments[index].building = nil
        if experiments[index].state == .queued { experiments[index].state = .running }
    }

    /// Removes and returns the oldest finished experiments beyond the newest `keeping` ones, so that the state
    /// file, rewritten at every change, stays bounded however many experiments the learner has run.
    mutating func archiveFinished(keeping: Int) -> [ExperimentRecord] {
        let finished = experiments.indices.filter { experiments[$0].state.isFinal }
        guard finished.count > keeping else { return [] }
        let archived = Set(finished.prefix(finished.count - keeping))
        let records = archived.sorted().map { experiments[$0] }
        experiments = experiments.indices.filter { !archived.contains($0) }.map { experiments[$0] }
        return records
    }

    /// Forgets that `id` was being built, leaving its state as it was (a learner stopped on purpose mid-build).
    mutating func abandonBuild(_ id: String) {
        guard let index = experiments.firstIndex(where: { $0.id == id }) else { return }
        experiments[index].building = nil
    }

    /// Fails every experiment whose build a previous learner started but never finished (it trapped, wedged or
    /// was killed), so that `--resume` does not run that build again; returns their ids.
    mutating func failInterruptedBuilds() -> [String] {
        var failed: [String] = []
        for index in experiments.indices where experiments[index].building == true {
            experiments[index].building = nil
            if !experiments[index].state.isFinal {
                experiments[index].state = .failed
                experiments[index].failure =
                    "the learner stopped while building this experiment (crash, wedge or kill); "
                    + "it is not built again, submit it anew once the cause is fixed"
            }
            failed.append(experiments[index].id)
        }
        return failed
    }

    func record(_ id: String) -> ExperimentRecord? { experiments.first { $0.id == id } }

    /// Records training progress of a running experiment.
    mutating func updateProgress(_ id: String, epoch: UInt64, bestReturn: Double?) {
        guard let index = experiments.firstIndex(where: { $0.id == id }) else { return }
        experiments[index].epoch = epoch
        experiments[index].bestReturn = bestReturn
    }

    /// Ends a running experiment as done or failed, or fails one whose build failed.
    mutating func finish(_ id: String, failure: String? = nil) {
        guard let index = experiments.firstIndex(where: { $0.id == id && !$0.state.isFinal }),
            experiments[index].state == .running || failure != nil
        else { return }
        experiments[index].state = failure == nil ? .done : .failed
        experiments[index].failure = failure
        experiments[index].building = nil
    }

    /// Experiment ids the queue mints and accepts from a state file: they name folders inside `--outputs`.
    static func isSafeID(_ id: String) -> Bool {
        let alphanumerics = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        guard (1...64).contains(id.utf8.count), let first = id.first, alphanumerics.contains(first) else {
            return false
        }
        return id.allSatisfy { alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
    }

    /// Why a queue read from a state file cannot be trusted, or `nil`: ids that could name a folder outside
    /// `--outputs`, duplicate ids, more than one running experiment, or a counter out of range.
    var inconsistency: String? {
        if let bad = experiments.first(where: { !Self.isSafeID($0.id) }) {
            return "experiment id '\(bad.id)' is not of letters, digits, '-' and '_' (at most 64)"
        }
        var seen = Set<String>()
        for record in experiments where !seen.insert(record.id).inserted {
            return "experiment id '\(record.id)' appears twice"
        }
        let running = experiments.filter { $0.state == .running }.map(\.id)
        if running.count > 1 {
            return "\(running.count) experiments are running (\(running.joined(separator: ", "))); at most one can"
        }
        if nextNumber < 1 { return "nextNumber is \(nextNumber), must be positive" }
        if experiments.contains(where: { $0.bestReturn.map { !$0.isFinite } == true }) {
            return "a bestReturn is not finite"
        }
        return nil
    }

    /// Cancels a queued or running experiment and returns its previous state.
    mutating func cancel(_ id: String) throws(ControlError) -> ExperimentState {
        guard let index = experiments.firstIndex(where: { $0.id == id }) else {
            throw ControlError(code: ControlErrorCode.unknownExperiment, message: "no experiment '\(id)'")
        }
        let previous = experiments[index].state
        guard !previous.isFinal else {
            throw ControlError(
                code: ControlErrorCode.alreadyFinished, message: "experiment '\(id)' is already \(previous.rawValue)")
        }
        experiments[index].state = .cancelled
        return previous
    }
}

/// The machine-readable codes of the learner's `Error` replies (docs/PROTOCOL.md).
enum ControlErrorCode {
    static let malformed = "malformed"
    static let unexpectedMessage = "unexpected_message"
    static let unknownExperiment = "unknown_experiment"
    static let alreadyFinished = "already_finished"
    static let invalidConfig = "invalid_config"
    static let notRegistered = "not_registered"
    static let queueFull = "queue_full"
    static let forbidden = "forbidden"
    static let workerIDTaken = "worker_id_taken"
    static let tooManyActors = "too_many_actors"
}

/// Persists an `ExperimentQueue` as JSON in the learner's outputs folder, replacing the file atomically.
///
/// Only the newest `keptFinished` finished experiments stay in the state file; older ones are appended, one
/// JSON object a line, to `learner-history.jsonl` next to it (written before they leave the state file, so a
/// crash between the two at worst repeats a line). The state file's size, and so the cost of every save, is
/// bounded by the queue limits instead of growing with the learner's history.
public struct ExperimentStore: Sendable {
    public let url: URL
    /// Finished experiments kept in the state file (and in `maze status`).
    var keptFinished = 100

    /// `learner-history.jsonl`: finished experiments moved out of the state file, oldest first.
    var historyURL: URL { url.deletingLastPathComponent().appendingPathComponent("learner-history.jsonl") }

    /// The state file `learner-state.json` in `outputsDirectory`.
    public init(outputsDirectory: URL) {
        url = outputsDirectory.appendingPathComponent("learner-state.json")
    }

    /// The saved queue, or an empty one when there is no state file yet.
    func load() throws -> ExperimentQueue {
        guard FileManager.default.fileExists(atPath: url.path) else { return ExperimentQueue() }
        let queue: ExperimentQueue
        do {
            queue = try JSONDecoder().decode(ExperimentQueue.self, from: Data(contentsOf: url))
        } catch {
            throw ServiceError.stateFile(
                path: url.path, reason: "unreadable (\(error)); move it away to start with an empty queue")
        }
        if let problem = queue.inconsistency {
            throw ServiceError.stateFile(
                path: url.path, reason: "\(problem); fix or move it away to start with an empty queue")
        }
        return queue
    }

    /// Saves `queue` (as `save`), first moving finished experiments beyond `keptFinished` to the history file (they are
    /// removed from `queue` too).
    func saveCompacting(_ queue: inout ExperimentQueue) throws {
        var compacted = queue
        let archived = compacted.archiveFinished(keeping: keptFinished)
        if !archived.isEmpty {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                var lines = Data()
                for record in archived { lines += try encoder.encode(record) + Data("\n".utf8) }
                if !FileManager.default.fileExists(atPath: historyURL.path) {
                    // A failure here shows as the open below failing.
                    _ = FileManager.default.createFile(atPath: historyURL.path, contents: nil)
                }
                let handle = try FileHandle(forWritingTo: historyURL)
                defer { try? handle.close() }
                try handle.seekToEnd()
                try handle.write(contentsOf: lines)
            } catch {
                throw ServiceError.stateFile(path: historyURL.path, reason: "could not be appended to (\(error))")
            }
        }
        try save(compacted)
        queue = compacted
    }

    func save(_ queue: ExperimentQueue) throws {
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            // Written next to the file and renamed over it, the temporary removed on failure (a full disk), so
            // neither a half-written state file nor a stray temporary is ever left behind.
            let temporary = url.appendingPathExtension("tmp")
            do {
                try encoder.encode(queue).write(to: temporary)
                guard rename(temporary.path, url.path) == 0 else {
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
            } catch {
                try? FileManager.default.removeItem(at: temporary)
                throw error
            }
        } catch {
            throw ServiceError.stateFile(path: url.path, reason: "could not be written (\(error))")
        }
    }
}
