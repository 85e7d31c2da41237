import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazeTrain
import MazeTrajectory

/// A rollout as a composed `conf_rollout` config describes it: MazeCore's rollout runner (`sequential`
/// or `parallel`) with its settings, the env, and the policy — `random_policy`, a registered heuristic
/// named by `policy._target_` (e.g. `cartpole_heuristic`), or `torch_policy` with the trained run in `input_dir`
/// (on the run's env, or on the env the command line names with `env…`/`wrappers…` overrides when its
/// spaces fit the trained model; otherwise the rollout is refused naming `env`).
///
/// Episodes are seeded as ``SeedingConfiguration`` says: from `seeding.explicit_env_seeds` and
/// `explicit_agent_seeds` when given, otherwise episode `i` gets the env seed of episode `i` of a
/// `RolloutEvaluator` with `seeding.env_base_seed`, so a rollout of a trained run with its evaluation seed replays the evaluation that selected its best
/// model. Recorded trajectories (`runner.record_trajectory`) and event logs (`runner.record_event_logs`)
/// go to `trajectory_data/` and `event_logs/` of the rollout's run folder.
struct RolloutSetup: Sendable {
    let runner: RolloutRunner
    let env: EnvSource
    let agent: AgentSource
    /// The trained run when the policy is `torch_policy`.
    let trainedRun: TrainedRun?

    /// The run folder the recordings go to: `outputDirectory` when given, otherwise the one
    /// `RunDirectory` claims for the config, `date` and `jobNumber` (as for training runs; created only when the rollout
    /// records something). With
    /// `runner.render=true` (sequential runner) each step's text picture goes to `console`, as does the
    /// warning when episodes are bounded because neither the env nor `runner.max_episode_steps` limits them.
    init(
        _ composed: ComposedConfig, outputDirectory: URL? = nil, date: Date = Date(), jobNumber: Int? = nil,
        components: MazeComponents = .builtIn, console: @escaping @Sendable (String) -> Void = { print($0) }
    ) throws {
        let registries = components.registries
        let root = composed.root
        let runnerName = composed.choice("runner") ?? "None"
        guard runnerName == "sequential" || runnerName == "parallel" else {
            throw MazeRunError.runnerNotAvailable(
                runner: runnerName, reason: "rollouts (the default config conf_rollout) run with a rollout runner",
                suggestion: "runner=sequential or runner=parallel, or -cn conf_train to train")
        }
        let section = try root.section("runner")
        let nEpisodes = try section.int("n_episodes")
        guard nEpisodes > 0 else {
            throw MazeRunError.invalidConfig(key: "runner.n_episodes", problem: "must be at least 1, got \(nEpisodes)")
        }
        let workers = runnerName == "parallel" ? try section.int("n_processes") : 1
        guard workers > 0 else {
            throw MazeRunError.invalidConfig(key: "runner.n_processes", problem: "must be at least 1, got \(workers)")
        }
        let recordTrajectory = try section.bool("record_trajectory")
        let recordEventLogs = try section.bool("record_event_logs")
        let seeding = try SeedingConfiguration(root).rolloutSeeding(nEpisodes: nEpisodes)
        let episodes = try seeding.episodeSeeds(nEpisodes: nEpisodes).env.count
        let render = section.contains("render") ? try section.bool("render") : false
        if render, runnerName != "sequential" {
            throw MazeRunError.invalidConfig(
                key: "runner.render",
                problem: "rendering needs runner=sequential (the parallel runner's workers share one console)")
        }
        let policy = try root.section("policy")
        let makeEnv: @Sendable () throws -> any StructuredEnv
        if composed.choice("policy") == "torch_policy" {
            try ComputeDevice.check(policy)
            let inputDirectory =
                policy.contains("input_dir") ? try policy.string("input_dir") : try root.string("input_dir")
            let envOverride =
                composed.overrides.contains(where: Self.setsEnv)
                ? try EnvConfiguration(config: root, registries: registries) : nil
            let trained = try TrainedRun(path: inputDirectory, env: envOverride, components: components)
            if envOverride != nil { _ = try trained.makePolicy(for: trained.makeEnv()) }
            trainedRun = trained
            makeEnv = trained.makeEnv
            agent = .factory { env in try trained.makePolicy(for: env) }
        } else {
            let configured = try EnvConfiguration(config: root, registries: registries)
            let target = try policy.string("_target_")
            let arguments = try registries.policies.arguments(policy.removing(["_target_"]), for: target)
            trainedRun = nil
            makeEnv = configured.makeEnv
            agent = .named(target, arguments)
        }
        env = .factory(makeEnv)

        var maxEpisodeSteps = try section.int("max_episode_steps")
        if maxEpisodeSteps <= 0, try !makeEnv().hasEpisodeStepLimit {
            maxEpisodeSteps = RolloutEvaluator.unlimitedEpisodeBound
            console(
                "Warning: the env has no TimeLimitWrapper and runner.max_episode_steps is 0, so its episodes may never end; "
                    + "they stop after \(maxEpisodeSteps) steps. Set runner.max_episode_steps to choose the limit.")
        }
        let deterministic = try section.bool("deterministic")
        // Claimed last, once nothing can refuse the rollout: a rollout that records gets a folder of its own (a second
        // one started in the same second gets `<timestamp>_1`), one that records nothing creates none.
        let folder =
            try outputDirectory
            ?? URL(
                fileURLWithPath: recordTrajectory || recordEventLogs
                    ? RunDirectory.claim(for: composed, date: date, jobNumber: jobNumber).path
                    : RunDirectory.path(for: composed, date: date, jobNumber: jobNumber),
                isDirectory: true)
        var settings = RolloutSettings(
            nEpisodes: nEpisodes, maxEpisodeSteps: maxEpisodeSteps, deterministic: deterministic,
            recordTrajectory: recordTrajectory, recordEventLogs: recordEventLogs, seeding: seeding,
            outputDirectory: folder,
            trajectoryWriter: recordTrajectory ? MsgPackTrajectoryWriter(outputDirectory: folder) : nil)
        settings.render = render
        settings.renderOutput = console
        runner = RolloutRunner(settings: settings, workers: min(workers, episodes), registries: registries)
    }

    /// Whether a command-line override sets the env or its wrappers (`env=…`, `env.name=…`, `+wrappers.X=…`):
    /// a `torch_policy` rollout then runs on that env instead of the one recorded in the run folder.
    static func setsEnv(_ override: String) -> Bool {
        let key = override.prefix { $0 != "=" }.drop { "+~".contains($0) }
        return ["env", "wrappers"].contains { key == $0 || key.hasPrefix($0 + ".") || key.hasPrefix($0 + "@") }
    }

    /// The run folder of the rollout (created only when something is recorded).
    var outputDirectory: URL { runner.settings.outputDirectory }

    /// Whether the rollout writes trajectories or event logs into its run folder.
    var records: Bool { runner.settings.recordTrajectory || runner.settings.recordEventLogs }

    /// Runs every episode.
    func run() throws -> RolloutResult {
        try runner.runWith(env: env, agent: agent)
    }
}
