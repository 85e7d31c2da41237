import MazeConfig
import MazeCore
import MazeEnvs

/// A rollout as a composed `conf_rollout` config describes it: the runner (`sequential` or
/// `parallel`) with its settings, and the policy — `random_policy`, a registered heuristic named by
/// `policy._target_` (e.g. `cartpole_heuristic`), or `torch_policy` with the trained run in `input_dir`.
public struct RolloutSetup: Sendable {
    public let runner: RolloutRunner
    /// The trained run when the policy is `torch_policy`.
    public let trainedRun: TrainedRun?

    public init(_ composed: ComposedConfig, registries: Registries = .withMazeEnvs) throws {
        let root = composed.root
        let runnerName = composed.choice("runner") ?? "None"
        guard runnerName == "sequential" || runnerName == "parallel" else {
            throw MazeRunError.runnerNotAvailable(
                runner: runnerName, reason: "rollouts (the default config conf_rollout) run with a rollout runner",
                suggestion: "runner=sequential or runner=parallel, or -cn conf_train to train")
        }
        let section = try root.section("runner")
        let settings = RolloutRunner.Settings(
            nEpisodes: try section.int("n_episodes"), maxEpisodeSteps: try section.int("max_episode_steps"),
            deterministic: try section.bool("deterministic"),
            workers: runnerName == "parallel" ? try section.int("n_processes") : 1,
            baseSeed: try TrainingSetup.baseSeed(root))
        guard settings.nEpisodes > 0 else {
            throw MazeRunError.invalidConfig(key: "runner.n_episodes", problem: "must be at least 1, got \(settings.nEpisodes)")
        }

        let policy = try root.section("policy")
        if composed.choice("policy") == "torch_policy" {
            let inputDirectory = policy.contains("input_dir") ? try policy.string("input_dir") : try root.string("input_dir")
            let trained = try TrainedRun(path: inputDirectory)
            trainedRun = trained
            runner = RolloutRunner(settings: settings, makeEnv: trained.makeEnv, makePolicy: trained.makePolicy(for:))
        } else {
            let env = try EnvConfiguration(config: root, registries: registries)
            let target = try policy.string("_target_")
            let arguments = policy.componentArguments()
            _ = try registries.policies.factory(named: target)
            trainedRun = nil
            runner = RolloutRunner(settings: settings, makeEnv: env.makeEnv) { env in
                try registries.makePolicy(target, arguments, for: env)
            }
        }
    }
}
