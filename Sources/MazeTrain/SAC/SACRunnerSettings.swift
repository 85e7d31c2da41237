import Foundation
import MazeConfig

/// The `runner` section of a SAC run (`algorithm_runner/sac-dev.yaml`, `sacfd-dev.yaml`; Maze's SACDevRunner):
/// where the initial replay buffer comes from.
///
/// SAC steps `algorithm.num_actors` training envs, so the on-policy runners' `concurrency` is refused here rather
/// than ignored.
package struct SACRunnerSettings: Sendable, Equatable {
    /// `initial_demonstration_trajectories`: Maze's `InMemoryDataset` of recorded trajectories that seeds the replay
    /// buffer instead of `initial_buffer_size` random steps (SACfD).
    package struct Demonstrations: Sendable, Equatable {
        /// `input_data`: trajectory files or folders holding them (a run folder's `trajectory_data`); relative
        /// paths are resolved against the working directory.
        package var inputData: [String]
        /// `n_workers`: threads that read and decode the files.
        package var workers = 1

        package init(inputData: [String], workers: Int = 1) {
            self.inputData = inputData
            self.workers = workers
        }
    }

    /// `nil`: the replay buffer starts with `initial_buffer_size` random steps (plain SAC).
    package var demonstrations: Demonstrations?

    package init(demonstrations: Demonstrations? = nil) {
        self.demonstrations = demonstrations
    }

    /// Reads the composed `runner` section. `initial_demonstration_trajectories` is `~` or Maze's dataset
    /// (`_target_: InMemoryDataset`, `input_data`, `n_workers`, `deserialize_in_main_thread: false`,
    /// `trajectory_processor: {_target_: IdentityWithNextObservationTrajectoryProcessor}`); other datasets,
    /// processors or keys are refused by key.
    package init(_ section: ConfigSection) throws {
        if section.contains("concurrency") {
            throw try section.section("concurrency").invalid(
                "SAC steps algorithm.num_actors training envs; set that instead")
        }
        guard let dataset = section.nonNull("initial_demonstration_trajectories") else { return }
        try dataset.refuseKeys(
            otherThan: ["_target_", "input_data", "n_workers", "deserialize_in_main_thread", "trajectory_processor"])
        let target = try dataset.string("_target_", default: "InMemoryDataset")
        guard target.hasSuffix("InMemoryDataset") else {
            throw try dataset.section("_target_").invalid("only InMemoryDataset is supported, got '\(target)'")
        }
        guard !(try dataset.bool("deserialize_in_main_thread", default: false)) else {
            throw try dataset.section("deserialize_in_main_thread").invalid(
                "only false is supported: each worker reads and decodes its own files")
        }
        let processor = try dataset.child("trajectory_processor")
        let processorTarget = try processor.string(
            "_target_", default: "IdentityWithNextObservationTrajectoryProcessor")
        guard processorTarget.hasSuffix("IdentityWithNextObservationTrajectoryProcessor") else {
            throw try processor.section("_target_").invalid(
                "SAC needs each step's next observation: only IdentityWithNextObservationTrajectoryProcessor, "
                    + "got '\(processorTarget)'")
        }
        let input = try dataset.section("input_data")
        let paths = try (try? input.strings()) ?? [input.string()]
        guard !paths.isEmpty, paths.allSatisfy({ !$0.isEmpty }) else {
            throw input.invalid("needs a trajectory folder or file (record one with a rollout's record_trajectory)")
        }
        demonstrations = Demonstrations(
            inputData: paths, workers: try dataset.int("n_workers", default: 1, in: 1...SettingRanges.concurrency))
    }
}
