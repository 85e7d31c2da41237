import Foundation
import MazeConfig

/// `runner.dataset`: where behavioural cloning reads its demonstrations, with the keys of Maze's `InMemoryDataset`
/// (`bc-dev.yaml`, `bc-local.yaml`).
package struct DemonstrationDatasetSettings: Sendable, Equatable {
    /// The trajectory files to read: each entry of `input_data` is a file written by `record_trajectory`, a folder of
    /// them (a rollout's `trajectory_data`), or a rollout's run folder holding `trajectory_data`.
    package var inputData: [String]
    /// Threads decoding files at once (`n_workers`); 1 when `deserialize_in_main_thread`.
    package var workers: Int
    /// The full key of `input_data`, for errors about the files it names.
    package var keyPath = "runner.dataset.input_data"

    /// The datasets `_target_` may name: every file is read into memory, as Maze's `InMemoryDataset` does.
    static let datasetTargets = [
        "maze.core.trajectory_recording.datasets.in_memory_dataset.InMemoryDataset", "InMemoryDataset",
    ]
    /// The trajectory processors `trajectory_processor._target_` may name: steps are used as recorded.
    static let processorTargets = [
        "maze.core.trajectory_recording.datasets.trajectory_processor.IdentityTrajectoryProcessor",
        "IdentityTrajectoryProcessor",
    ]
    /// Upper bound of `n_workers`.
    static let maximumWorkers = 256

    package init(inputData: [String], workers: Int = 1) {
        self.inputData = inputData
        self.workers = workers
    }

    /// Reads the `dataset` section of `runner` (the key path in errors is `runner.dataset.…`); a missing section,
    /// an empty `input_data`, or a dataset or trajectory processor other than Maze's in-memory identity ones is
    /// refused naming the key.
    package init(runner: ConfigSection) throws {
        guard let dataset = runner.nonNull("dataset") else {
            throw TrainError.invalidSetting(
                key: runner.dottedPath.isEmpty ? "dataset" : runner.dottedPath + ".dataset",
                problem: "behavioural cloning needs demonstrations: set dataset.input_data to a trajectory_data folder")
        }
        try dataset.refuseKeys(otherThan: [
            "_target_", "input_data", "n_workers", "deserialize_in_main_thread", "trajectory_processor",
        ])
        if let target = dataset.nonNull("_target_"), !Self.datasetTargets.contains(try target.string()) {
            throw target.invalid("the demonstrations are read into memory; expected one of \(Self.datasetTargets)")
        }
        if let processor = dataset.nonNull("trajectory_processor") {
            try processor.refuseKeys(otherThan: ["_target_"])
            if let target = processor.nonNull("_target_"), !Self.processorTargets.contains(try target.string()) {
                throw target.invalid("steps are used as recorded; expected one of \(Self.processorTargets)")
            }
        }
        let input = try dataset.section("input_data")
        if case .list = input.node { inputData = try input.strings() } else { inputData = [try input.string()] }
        guard !inputData.isEmpty, !inputData.contains(where: \.isEmpty) else {
            throw input.invalid("name a trajectory_data folder or trajectory files")
        }
        let inMainThread = try dataset.bool("deserialize_in_main_thread", default: false)
        let workers = try dataset.int("n_workers", default: 1, in: 1...Self.maximumWorkers)
        self.workers = inMainThread ? 1 : workers
        keyPath = input.dottedPath
    }

    /// The trajectory files `input_data` names, in a stable order (sorted within each folder); a path that does not
    /// exist or a folder without trajectory files is an error naming the key.
    package func files() throws -> [URL] {
        let manager = FileManager.default
        var files: [URL] = []
        for path in inputData {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw TrainError.invalidSetting(
                    key: keyPath,
                    problem: "no file or folder at '\(path)'; name the trajectory_data folder of a rollout recorded "
                        + "with runner.record_trajectory=true")
            }
            guard isDirectory.boolValue else {
                files.append(URL(fileURLWithPath: path))
                continue
            }
            var folder = URL(fileURLWithPath: path, isDirectory: true)
            let nested = folder.appendingPathComponent("trajectory_data", isDirectory: true)
            if manager.fileExists(atPath: nested.path) { folder = nested }
            let found = try Self.trajectoryFiles(in: folder)
            guard !found.isEmpty else {
                throw TrainError.invalidSetting(
                    key: keyPath, problem: "no trajectory files (*.msgpack) in '\(folder.path)'")
            }
            files += found
        }
        return files
    }

    private static func trajectoryFiles(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".msgpack") }
            .sorted()
            .map { folder.appendingPathComponent($0) }
    }
}
