import Foundation
import MazeConfig
import MazeCore
import MazeDistributed
import MazeReporting
import MazeTrain

/// What `maze run` does with a root config and overrides: compose, then train (a config that chooses
/// an algorithm) or roll out, once or — with `multirun` — once per job of the sweep, each training job
/// in its own numbered folder.
package struct RunLauncher {
    /// The result of one job.
    package enum JobResult {
        case training(TrainingRun.Outcome)
        case rollout(RolloutResult)
        /// A `runner=local` training: the experiment the learner process finished.
        case local(LocalRunner.Result)
    }

    package var composer: ConfigComposer
    package var rootConfig: String
    package var overrides: [String]
    package var multirun: Bool
    package var silent: Bool
    /// Recorded in each run folder's `command.txt`.
    package var commandLine: [String]
    /// Receives console lines.
    package var output: @Sendable (String) -> Void
    /// The `maze` executable that `runner=local` starts as learner and actors (this process's by default).
    package var executable: String = Bundle.main.executablePath ?? CommandLine.arguments[0]
    /// What the config's envs, wrappers, policies and models are built from (the executable's registrations).
    package var components: MazeComponents
    /// Training runs whose memory estimate exceeds this are refused before they allocate (`--memory-budget-mib`).
    package var memoryBudget = MemoryBudget(mebibytes: MemoryBudget.defaultMiB)

    package init(
        composer: ConfigComposer, rootConfig: String = ConfigComposer.defaultRootConfig, overrides: [String] = [],
        multirun: Bool = false, silent: Bool = false, commandLine: [String] = CommandLine.arguments,
        output: @escaping @Sendable (String) -> Void = ConsoleStatsWriter.standardOutput,
        components: MazeComponents = .builtIn
    ) {
        self.components = components
        self.composer = composer
        self.rootConfig = rootConfig
        self.overrides = overrides
        self.multirun = multirun
        self.silent = silent
        self.commandLine = commandLine
        self.output = output
    }

    /// One job: its number within a multirun (`nil` for a single run) and its concrete overrides.
    package struct Job: Sendable, Equatable {
        package let number: Int?
        package let overrides: [String]
    }

    /// The composed config of every job (one without `multirun`), in job order.
    package func composeJobs() throws -> [(job: Job, config: ComposedConfig)] {
        let jobs =
            multirun
            ? try MultirunSweep.jobs(for: overrides).map { Job(number: $0.number, overrides: $0.overrides) }
            : [Job(number: nil, overrides: overrides)]
        return try jobs.map { ($0, try composer.compose(rootConfig: rootConfig, overrides: $0.overrides)) }
    }

    /// Runs every job; run folders (training, and rollouts that record) are stamped with `date`.
    package func run(date: Date = Date()) throws -> [JobResult] {
        let jobs = try composeJobs()
        let quiet: @Sendable (String) -> Void = { _ in }
        let console = silent ? quiet : output
        return try jobs.map { job, composed in
            if let number = job.number, !silent { output("#\(number) : \(job.overrides.joined(separator: " "))") }
            guard composed.choice("algorithm") != nil else {
                return .rollout(
                    try rollout(
                        try RolloutSetup(
                            composed, date: date, jobNumber: job.number, components: components, console: console),
                        composed: composed))
            }
            return try RunDirectory.claim(for: composed, date: date, jobNumber: job.number).use { path in
                try train(composed, in: path)
            }
        }
    }

    /// Trains `composed` in the run folder `path`: in this process, or with a learner and actor processes.
    private func train(_ composed: ComposedConfig, in path: String) throws -> JobResult {
        // A local run's folder is the experiment's, inside `path`; LocalRunner prints it once submitted.
        if composed.choice("runner") == "local", !ImitationSetup.isChosen(in: composed) {
            return .local(try runLocal(composed, in: path))
        }
        if !silent { output("Run folder: \(path)") }
        let training = try TrainingRun(composed, components: components, memoryBudget: memoryBudget)
        let outcome = try training.run(
            in: URL(fileURLWithPath: path, isDirectory: true), commandLine: commandLine, silent: silent, output: output)
        return .training(outcome)
    }

    /// Trains with a learner and actor processes on ipc:// sockets in a private temporary folder.
    private func runLocal(_ composed: ComposedConfig, in path: String) throws -> LocalRunner.Result {
        let runFolder = URL(fileURLWithPath: path, isDirectory: true)
        let sockets = FileManager.default.temporaryDirectory.appendingPathComponent("maze-local-\(UUID().uuidString)")
        // PPO and A2C wait for each round, IMPALA trains while its actors act; a config the learner cannot build
        // fails there, with the learner's message.
        let needs = try? ExperimentConfig(
            yaml: composed.yaml, algorithm: composed.choice("algorithm"), components: components
        ).serviceNeeds()
        let plan = try LocalRunPlan(
            composed, runFolder: runFolder, socketDirectory: sockets, asynchronous: needs?.staleness != .currentVersion)
        let silent = silent
        let output = output
        let result = try LocalRunner(plan: plan, executable: executable, runFolder: runFolder, components: components)
            .run(composed, commandLine: commandLine) { if !silent { output($0) } }
        if !silent {
            let best = result.bestReturn.map { String(format: "%.3f", $0) } ?? "-"
            output("Experiment \(result.experimentID) done after \(result.epoch) epochs; best return \(best)")
        }
        return result
    }

    private func rollout(_ setup: RolloutSetup, composed: ComposedConfig) throws -> RolloutResult {
        if setup.records, !silent { output("Run folder: \(setup.outputDirectory.relativePath)") }
        let settings = setup.runner.settings
        if !silent {
            output(
                "Rollout of \(Self.policyName(composed)) with runner=\(composed.choice("runner") ?? "None"): "
                    + "n_episodes=\(settings.nEpisodes), deterministic=\(settings.deterministic), max_episode_steps=\(settings.maxEpisodeSteps)"
            )
            if let trained = setup.trainedRun { output("Loaded the best model of \(trained.folder.root.path)") }
        }
        let result = try setup.run()
        if !silent {
            output(StatsTable.format(step: settings.nEpisodes, stats: result.statistics.reduce(prefix: "rollout")))
            output(String(format: "Mean return over %d episodes: %.3f", result.episodes.count, result.meanReturn))
        }
        return result
    }

    /// The policy a rollout runs: the `policy` group's option, unless `policy._target_` names another
    /// component (`policy._target_=cutting_2d_greedy` with the default `random_policy` group).
    static func policyName(_ composed: ComposedConfig) -> String {
        let option = composed.choice("policy") ?? "policy"
        guard let target = try? composed.root.section("policy").string("_target_") else { return option }
        let groupTargets = ["random_policy": ["RandomPolicy", "random_policy"], "torch_policy": ["TorchPolicy"]]
        return (groupTargets[option] ?? [target]).contains(target) ? option : target
    }
}
