import MazeCore

extension RolloutEvaluator {
    /// The step budget of an evaluation episode in an env whose stack has no `TimeLimitWrapper`: the
    /// `max_episode_steps` of Maze's documented `TimeLimitWrapper` config.
    package static let unlimitedEpisodeBound = 200

    /// `env` itself when its stack ends episodes with a `TimeLimitWrapper`; otherwise `env` behind a
    /// `TimeLimitWrapper` of ``unlimitedEpisodeBound`` steps, after `warn` was told so. Without it an
    /// evaluation of an env that never ends its episodes (e.g. Cutting2D) would never finish.
    package static func boundingEpisodes(of env: any StructuredEnv, warn: (String) -> Void) throws -> any StructuredEnv
    {
        guard !env.hasEpisodeStepLimit else { return env }
        warn(
            "Warning: the env has no TimeLimitWrapper, so its episodes may never end; evaluation episodes stop after "
                + "\(unlimitedEpisodeBound) steps. Add wrappers.TimeLimitWrapper.max_episode_steps (e.g. wrappers=cutting_2d) to choose the limit."
        )
        return try TimeLimitWrapper(env, maxEpisodeSteps: unlimitedEpisodeBound)
    }

    /// The evaluator of a training run seeded with `trainingSeed`: `settings` in `envCount` fresh envs from
    /// `makeEnv` (at least one, at most one per episode; the runner's `eval_concurrency`, see
    /// ``DevRunnerSettings/evaluationEnvCount``), their
    /// episodes bounded (``boundingEpisodes(of:warn:)``, told once) and logged under the prefix `eval`.
    package static func forTraining(
        makeEnv: () throws -> any StructuredEnv, settings: EvaluatorSettings, trainingSeed: UInt64, envCount: Int = 1,
        warn: (String) -> Void
    ) throws -> RolloutEvaluator {
        let envs: [any StructuredEnv] = try (0..<max(1, min(envCount, settings.nEpisodes))).map { index in
            LogStatsWrapper(
                try boundingEpisodes(of: makeEnv(), warn: index == 0 ? warn : { _ in }), loggingPrefix: "eval")
        }
        return try RolloutEvaluator(envs: envs, settings: settings, seed: seed(trainingSeed: trainingSeed))
    }
}
