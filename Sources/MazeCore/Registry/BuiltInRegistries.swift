extension Registries {
    /// MazeCore's wrappers and policies, each under its short name and Maze's full class path.
    public static let builtIn: Registries = {
        var registries = Registries()
        registries.registerCoreWrappers()
        registries.policies.register("random_policy", aliases: ["RandomPolicy", "maze.core.agent.random_policy.RandomPolicy"]) {
            arguments, env in
            let masks = try arguments.map("action_masks")?.compactMapValues { value -> String? in
                if case .string(let key) = value { key } else { nil }
            }
            return RandomPolicy(actionSpaces: env.actionSpaces, maskKeys: masks ?? [:], seed: UInt64(try arguments.int("seed") ?? 0))
        }
        return registries
    }()

    private mutating func registerCoreWrappers() {
        wrappers.register("TimeLimitWrapper", aliases: ["maze.core.wrappers.time_limit_wrapper.TimeLimitWrapper"]) {
            env, arguments, _ in
            try TimeLimitWrapper(env, maxEpisodeSteps: arguments.required("max_episode_steps", arguments.int))
        }
        wrappers.register("LogStatsWrapper", aliases: ["maze.core.wrappers.log_stats_wrapper.LogStatsWrapper"]) {
            env, arguments, _ in
            LogStatsWrapper(env, loggingPrefix: try arguments.string("logging_prefix") ?? "")
        }
        wrappers.register(
            "ObservationNormalizationWrapper",
            aliases: ["maze.core.wrappers.observation_normalization.observation_normalization_wrapper.ObservationNormalizationWrapper"]
        ) { env, arguments, _ in
            try ObservationNormalizationWrapper(env, configuration: arguments)
        }
    }
}
