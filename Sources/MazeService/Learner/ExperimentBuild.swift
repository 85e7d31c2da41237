import Foundation
import MazeWire

/// One experiment's build on a thread of its own: the config check, the algorithm (model, optimizer,
/// evaluator) and the resume from its newest usable checkpoint. The learner's service thread keeps answering
/// requests, heartbeats and SIGTERM meanwhile, and collects the outcome with `take()`.
///
/// Threading: `makeAlgorithm` is called only on the build thread, and only while the service thread is not
/// building anything else; the algorithm is handed over whole through `take()` once the build thread has
/// finished with it. That transfer is why the class is `@unchecked Sendable`; the build thread's closure names the
/// algorithm's type, hence `SendableMetatype` (which every struct or class without an isolated conformance has).
final class ExperimentBuild<Algorithm: LearnerAlgorithm & SendableMetatype>: @unchecked Sendable {
    typealias Outcome = Result<(algorithm: Algorithm, version: UInt64), any Error>

    let record: ExperimentRecord
    let directory: URL
    private let configuration: LearnerConfiguration
    private let makeAlgorithm: (ExperimentRecord) throws -> Algorithm
    private let lock = NSLock()
    private var outcome: Outcome?

    /// Starts building `record` into `directory`.
    init(
        record: ExperimentRecord, directory: URL, configuration: LearnerConfiguration,
        makeAlgorithm: @escaping (ExperimentRecord) throws -> Algorithm
    ) {
        self.record = record
        self.directory = directory
        self.configuration = configuration
        self.makeAlgorithm = makeAlgorithm
        let thread = Thread { [self] in
            let result = Outcome { try build() }
            lock.withLock { outcome = result }
        }
        thread.name = "maze-build-\(record.id)"
        // Model construction and config reading recurse a little deeper than a secondary thread's default stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The outcome once the build has finished (then `nil` again), `nil` while it runs.
    func take() -> Outcome? {
        lock.withLock {
            defer { outcome = nil }
            return outcome
        }
    }

    private func build() throws -> (algorithm: Algorithm, version: UInt64) {
        // Configs queued by an older learner, or before the budget was lowered, are checked again.
        try configuration.submissions.checkConfig(record.configYAML, record.algorithm)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(record.configYAML.utf8).write(to: directory.appendingPathComponent("config.yaml"))
        let (algorithm, version) = try resumed()
        guard version < UInt64.max else {
            throw ServiceError.invalidConfiguration("the checkpoint's policy version \(version) cannot advance")
        }
        return (algorithm, version)
    }

    /// The algorithm, resumed from its newest usable checkpoint (`last`, else `previous`), or fresh at version 0
    /// when there is none. A checkpoint that cannot be read, is not a folder, or holds non-finite weights is
    /// skipped with a log line; when every one present is unusable the build fails, rather than silently
    /// restarting the experiment from scratch.
    private func resumed() throws -> (Algorithm, UInt64) {
        let candidates = CheckpointRotation(experimentDirectory: directory).resumeCandidates
        guard !candidates.isEmpty else { return (try makeAlgorithm(record), 0) }
        var problems: [String] = []
        for candidate in candidates {
            var algorithm = try makeAlgorithm(record)
            do {
                guard let version = try algorithm.resume(from: candidate) else {
                    throw ServiceError.invalidConfiguration("no learner state in it")
                }
                if let name = algorithm.weights.first(where: { !Self.isFinite($0.value) })?.key {
                    throw ServiceError.invalidConfiguration("weight '\(name)' is not finite")
                }
                if !problems.isEmpty { configuration.log("\(record.id) resumes from \(candidate.lastPathComponent)") }
                return (algorithm, version)
            } catch {
                let problem = "checkpoints/\(candidate.lastPathComponent) unusable: \(error)"
                configuration.log("\(record.id) \(problem)")
                problems.append(problem)
            }
        }
        throw ServiceError.invalidConfiguration(problems.joined(separator: "; "))
    }

    private static func isFinite(_ tensor: WireTensor) -> Bool {
        guard tensor.dtype == .float32, let values = try? tensor.values(as: Float.self) else { return true }
        return values.allSatisfy(\.isFinite)
    }
}
