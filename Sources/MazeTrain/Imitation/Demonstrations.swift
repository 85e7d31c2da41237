import Foundation
import MazeCore
import MazeTrajectory
import Synchronization

/// Demonstrated decisions from trajectory files (`record_trajectory`, docs/TRAJECTORIES.md), as the flat rows the
/// trainers use: one row per decision, the sub-steps' observations (action masks included) side by side and likewise
/// their actions (see ``SubStepCycle``). Kept per episode, so that the validation split never separates the steps
/// of one episode (as Maze's `InMemoryDataset.random_split` does).
package struct Demonstrations: Sendable {
    /// The decisions of one recorded episode.
    package struct Episode: Sendable {
        /// `[count, observationWidth]`.
        package var observations: [Float] = []
        /// `[count, actionWidth]`.
        package var actions: [Float] = []
        package var count = 0
    }

    package let observationWidth: Int
    package let actionWidth: Int
    package private(set) var episodes: [Episode]
    /// Sub-steps of cycles an episode ended before completing, which are left out (a decision needs all of them).
    package private(set) var droppedSteps = 0

    /// Decisions over all episodes.
    package var count: Int { episodes.reduce(0) { $0 + $1.count } }

    /// Reads `files` with `workers` threads and lays their steps out for `cycle` (the training env's sub-steps and
    /// spaces). A file that cannot be read, a step of another sub-step or an observation or action outside the env's
    /// spaces is an error naming the file, the step and `key` (the setting that named the files).
    package init(files: [URL], cycle: SubStepCycle, workers: Int = 1, key: String) throws {
        observationWidth = cycle.observationWidth
        actionWidth = cycle.actionWidth
        let results = Mutex<[Int: Result<(Episode, Int), any Error>]>([:])
        let threads = max(1, min(workers, files.count))
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            for index in stride(from: thread, to: files.count, by: threads) {
                let result = Result { try Self.episode(in: files[index], cycle: cycle, key: key) }
                results.withLock { $0[index] = result }
            }
        }
        let episodes = try results.withLock { results in
            try files.indices.map { index in
                guard let result = results[index] else {
                    throw TrainError.unsupported("\(files[index].path) was not read")
                }
                return try result.get()
            }
        }
        self.episodes = episodes.map(\.0).filter { $0.count > 0 }
        droppedSteps = episodes.reduce(0) { $0 + $1.1 }
        guard count > 0 else {
            throw TrainError.invalidSetting(key: key, problem: "the \(files.count) trajectory files hold no decision")
        }
    }

    /// Splits the episodes at random (from `seed`) into training and validation data: validation takes episodes until
    /// it holds at least `validationPercentage` % of the decisions, training keeps the rest (and at least one episode).
    package func split(validationPercentage: Double, seed: UInt64) -> (training: Batch, validation: Batch) {
        var random = MazeRandom(seed: seed)
        let order = episodes.indices.shuffled(using: &random)
        let wanted = Double(count) * validationPercentage / 100
        var validation: [Int] = []
        var held = 0
        for index in order.dropLast() where Double(held) < wanted {
            validation.append(index)
            held += episodes[index].count
        }
        let training = order.filter { !validation.contains($0) }
        return (joined(training), joined(validation))
    }

    /// The decisions of the given episodes, in that order.
    private func joined(_ indices: [Int]) -> Batch {
        var batch = Batch(observationWidth: observationWidth, actionWidth: actionWidth)
        for index in indices {
            batch.observations += episodes[index].observations
            batch.actions += episodes[index].actions
            batch.count += episodes[index].count
        }
        return batch
    }

    /// Decisions as flat rows.
    package struct Batch: Sendable {
        package let observationWidth: Int
        package let actionWidth: Int
        /// `[count, observationWidth]`.
        package var observations: [Float] = []
        /// `[count, actionWidth]`.
        package var actions: [Float] = []
        package var count = 0
    }

    /// The decisions of one file, and the number of steps of an incomplete last cycle.
    private static func episode(in file: URL, cycle: SubStepCycle, key: String) throws -> (Episode, Int) {
        let record: TrajectoryRecord
        do { record = try MsgPackTrajectoryReader.read(contentsOf: file) } catch {
            throw TrainError.invalidSetting(key: key, problem: "\(error)")
        }
        let subSteps = cycle.keys.count
        let (observationOffsets, actionOffsets) = (cycle.observationOffsets, cycle.actionOffsets)
        var episode = Episode()
        var observationRow = [Float](repeating: 0, count: cycle.observationWidth)
        var actionRow = [Float](repeating: 0, count: cycle.actionWidth)
        for (index, step) in record.steps.enumerated() {
            let position = index % subSteps
            func problem(_ text: String) -> TrainError {
                .invalidSetting(key: key, problem: "\(file.path), step \(index): \(text)")
            }
            guard step.actorID.stepKey == cycle.keys[position] else {
                throw problem(
                    "sub-step \(step.actorID.stepKey) acted where the env's cycle \(cycle.keys) expects "
                        + "\(cycle.keys[position]); record with the env and wrappers you train on")
            }
            let actionSpace = cycle.actionSpaces[position]
            // Discrete choices must be valid; Box actions may lie outside the bounds (a Gaussian's sample or mean).
            for (name, space) in zip(actionSpace.keys, actionSpace.spaces) {
                if case .box = space { continue }
                guard let value = step.action[name], space.contains(value) else {
                    throw problem("action '\(name)' is missing or outside the env's action space \(space)")
                }
            }
            do {
                let observation = try cycle.observationSpaces[position].flatten(step.observation)
                let action = try actionSpace.flatten(step.action)
                observationRow.replaceSubrange(
                    observationOffsets[position]..<observationOffsets[position] + observation.count, with: observation)
                actionRow.replaceSubrange(
                    actionOffsets[position]..<actionOffsets[position] + action.count, with: action)
            } catch {
                throw problem("the observation does not fit the env's observation space (\(error))")
            }
            guard position == subSteps - 1 else { continue }
            episode.observations += observationRow
            episode.actions += actionRow
            episode.count += 1
        }
        return (episode, record.steps.count % subSteps)
    }
}
