import Foundation
import MazeCore
import MazeTrajectory
import Synchronization

/// SACfD's demonstrations: the transitions `(s, a, r, s′, terminated)` of recorded episodes — the files a rollout
/// with `record_trajectory: true` writes (docs/TRAJECTORIES.md) — as rows for the replay buffer.
///
/// A step's successor `s′` is the next step's observation (Maze's `IdentityWithNextObservationTrajectoryProcessor`).
/// An episode's last step has no recorded successor: when it terminated, the target does not look at `s′`
/// (`1 − d = 0`) and the step is kept with its own observation in that place; when the episode was only truncated
/// (time limit), the target would bootstrap from an observation that was never recorded, so that step is left out.
///
/// The observations must be what the model sees: record the demonstrations with the training run's env and wrappers.
enum DemonstrationTransitions {
    /// The key the errors name.
    static let key = "runner.initial_demonstration_trajectories.input_data"

    /// Every transition of the episode files in `demonstrations.inputData` (files, or folders whose `*.msgpack`
    /// files are read in name order), episodes in that order, as a rollout of one env with a row per transition.
    /// `n_workers` threads read and decode the files. A file that does not fit the env's spaces is an error
    /// naming it.
    static func load(
        _ demonstrations: SACRunnerSettings.Demonstrations, observationSpace: DictSpace, actionSpace: DictSpace
    ) throws -> RolloutBuffer {
        let files = try episodeFiles(demonstrations.inputData)
        let workers = min(demonstrations.workers, files.count)
        let decoded = Mutex([Result<Rows, any Error>?](repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: files.count, by: workers) {
                let result = Result {
                    try rows(
                        of: MsgPackTrajectoryReader.read(contentsOf: files[index]), file: files[index],
                        observationSpace: observationSpace, actionSpace: actionSpace)
                }
                decoded.withLock { $0[index] = result }
            }
        }
        var all = Rows()
        for result in decoded.withLock({ $0 }) {
            guard let result else { continue }
            all.append(try result.get())
        }
        guard all.count > 0 else {
            throw TrainError.invalidSetting(
                key: key,
                problem: "the \(files.count) trajectory files hold no transitions to seed the replay buffer with")
        }
        var rollout = try RolloutBuffer(
            stepCount: all.count, envCount: 1, observationWidth: observationSpace.flatCount,
            actionWidth: actionSpace.flatCount)
        let (o, a) = (observationSpace.flatCount, actionSpace.flatCount)
        for row in 0..<all.count {
            rollout.recordDecision(
                step: row, observations: Array(all.observations[row * o..<(row + 1) * o]),
                actions: Array(all.actions[row * a..<(row + 1) * a]), logProbs: [0])
            rollout.recordOutcome(
                step: row, rewards: [all.rewards[row]], terminated: [all.terminated[row]], truncated: [false],
                successors: Array(all.successors[row * o..<(row + 1) * o]))
        }
        return rollout
    }

    /// The episode files named by `inputData`: files as given, folders' `*.msgpack` files in name order.
    static func episodeFiles(_ inputData: [String]) throws -> [URL] {
        var files: [URL] = []
        for path in inputData {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw TrainError.invalidSetting(
                    key: key,
                    problem: "no file or folder at '\(path)'; name the trajectory_data folder of a recorded rollout")
            }
            guard isDirectory.boolValue else {
                files.append(URL(fileURLWithPath: path))
                continue
            }
            let folder = URL(fileURLWithPath: path, isDirectory: true)
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
            files += names.filter { $0.hasSuffix(".msgpack") }.sorted().map { folder.appendingPathComponent($0) }
        }
        guard !files.isEmpty else {
            throw TrainError.invalidSetting(
                key: key, problem: "no .msgpack trajectory files in \(inputData.joined(separator: ", "))")
        }
        return files
    }

    /// Flat transition rows, in the replay buffer's layout.
    struct Rows {
        var observations: [Float] = []
        var actions: [Float] = []
        var rewards: [Float] = []
        var terminated: [Bool] = []
        var successors: [Float] = []

        var count: Int { rewards.count }

        mutating func append(_ other: Rows) {
            observations += other.observations
            actions += other.actions
            rewards += other.rewards
            terminated += other.terminated
            successors += other.successors
        }
    }

    /// The transitions of one recorded episode.
    static func rows(
        of record: TrajectoryRecord, file: URL, observationSpace: DictSpace, actionSpace: DictSpace
    ) throws -> Rows {
        var rows = Rows()
        guard let actor = record.steps.first?.actorID else { return rows }
        do {
            let observations = try record.steps.map { step in
                guard step.actorID == actor else {
                    throw MazeError.invalidValue(
                        "it has steps of \(actor) and \(step.actorID); SAC learns from single-actor episodes")
                }
                return try observationSpace.flatten(step.observation)
            }
            for (index, step) in record.steps.enumerated() {
                let isLast = index == record.steps.count - 1
                if isLast && !step.terminated { break }
                rows.observations += observations[index]
                rows.actions += try actionSpace.flatten(step.action)
                rows.rewards.append(Float(step.reward))
                rows.terminated.append(step.terminated)
                rows.successors += observations[isLast ? index : index + 1]
            }
        } catch {
            throw TrainError.invalidSetting(
                key: key, problem: "\(file.path) does not fit the env's observation and action spaces: \(error)")
        }
        return rows
    }
}
