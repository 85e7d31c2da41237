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
}
