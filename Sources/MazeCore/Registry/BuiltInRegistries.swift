extension Registries {
    /// MazeCore's wrappers and policies, each under its short name and Maze's full class path.
    public static let builtIn: Registries = {
        var registries = Registries()
        registries.registerCoreWrappers()
        registries.policies.register(
            "random_policy", aliases: ["RandomPolicy", "maze.core.agent.random_policy.RandomPolicy"],
            keys: ["action_masks", "seed"]
        ) { arguments, env in
            let masks = try arguments.optionalEntries("action_masks").map { entries in
                Dictionary(try entries.map { ($0.key ?? "", try $0.string()) }, uniquingKeysWith: { _, last in last })
            }
            // Without listed masks, the env's declared masks (observation → action) in RandomPolicy's direction.
            let declared = Dictionary(
                env.actionMasks.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
            return RandomPolicy(
                actionSpaces: env.actionSpaces, maskKeys: masks ?? declared,
                seed: UInt64(try arguments.optionalInt("seed", in: 0...Int.max) ?? 0))
        }
        return registries
    }()

    private mutating func registerCoreWrappers() {
        wrappers.register(
            "TimeLimitWrapper", aliases: ["maze.core.wrappers.time_limit_wrapper.TimeLimitWrapper"],
            keys: ["max_episode_steps"]
        ) { env, arguments, _ in
            try TimeLimitWrapper(env, maxEpisodeSteps: arguments.int("max_episode_steps"))
        }
        wrappers.register(
            "LogStatsWrapper", aliases: ["maze.core.wrappers.log_stats_wrapper.LogStatsWrapper"],
            keys: ["logging_prefix"]
        ) { env, arguments, _ in
            LogStatsWrapper(env, loggingPrefix: try arguments.optionalString("logging_prefix") ?? "")
        }
        wrappers.register(
            "ObservationNormalizationWrapper",
            aliases: [
                "maze.core.wrappers.observation_normalization.observation_normalization_wrapper."
                    + "ObservationNormalizationWrapper"
            ],
            keys: ObservationNormalizationWrapper.configurationKeys
        ) { env, arguments, _ in
            try ObservationNormalizationWrapper(env, configuration: arguments)
        }
        registerSpaceWrappers()
        registerRewardWrappers()
    }

    private mutating func register(
        _ name: String, module: String, keys: Set<String> = [], _ factory: @escaping WrapperFactory
    ) {
        wrappers.register(name, aliases: ["maze.core.wrappers.\(module).\(name)"], keys: keys, factory)
    }

    private mutating func registerSpaceWrappers() {
        register("DictObservationWrapper", module: "dict_observation_wrapper", keys: ["observation_name"]) {
            env, arguments, _ in
            try DictObservationWrapper(env, name: arguments.optionalString("observation_name") ?? "observation")
        }
        register("NoDictObservationWrapper", module: "no_dict_observation_wrapper") { env, _, _ in
            try DictObservationWrapper(env)
        }
        register("DictActionWrapper", module: "dict_action_wrapper", keys: ["action_name"]) { env, arguments, _ in
            try DictActionWrapper(env, name: arguments.optionalString("action_name") ?? "action")
        }
        register("NoDictActionWrapper", module: "no_dict_action_wrapper") { env, _, _ in try DictActionWrapper(env) }
        register("SortedSpacesWrapper", module: "sorted_spaces_wrapper") { env, _, _ in SortedSpacesWrapper(env) }
        // Maze's NoDictSpacesWrapper replaces a one-entry dict space by its sole sub-space. Spaces here are
        // always named dicts, so it is NoDictObservationWrapper plus NoDictActionWrapper: the sole entries
        // become `observation` and `action` (the same flat layout); with more entries it is refused.
        register("NoDictSpacesWrapper", module: "no_dict_spaces_wrapper") { env, _, _ in
            do {
                return try DictActionWrapper(try DictObservationWrapper(env))
            } catch {
                throw MazeError.invalidConfiguration(
                    "NoDictSpacesWrapper needs a single sub-step with exactly one observation and one action entry: \(error)"
                )
            }
        }
        // Maze's ObservationVisualizationWrapper draws observations into TensorBoard with a Python
        // `plot_function`, which swift-maze cannot call; refusing it says so instead of dropping the setting.
        register(
            "ObservationVisualizationWrapper", module: "observation_visualization_wrapper", keys: ["plot_function"]
        ) { _, _, _ in
            throw MazeError.invalidConfiguration(
                "ObservationVisualizationWrapper is not supported: its plot_function is Python code, which swift-maze cannot call to draw observations into TensorBoard; remove it from `wrappers` (it does not change training)"
            )
        }
        register("RandomResetWrapper", module: "random_reset_wrapper", keys: ["min_skip_steps", "max_skip_steps"]) {
            env, arguments, _ in
            try RandomResetWrapper(
                env, minSkipSteps: arguments.optionalInt("min_skip_steps") ?? 0,
                maxSkipSteps: arguments.int("max_skip_steps"))
        }
        register("SplitActionsWrapper", module: "split_actions_wrapper", keys: ["split_config"]) { env, arguments, _ in
            let splits = try (arguments.optionalEntries("split_config") ?? []).map { action in
                let parts = try action.entries().map { part in
                    try part.refuseKeys(otherThan: ["indices"])
                    return (part.key ?? "", try part.ints("indices"))
                }
                return (action.key ?? "", Dictionary(parts, uniquingKeysWith: { _, last in last }))
            }
            return try SplitActionsWrapper(env, splits: Dictionary(splits, uniquingKeysWith: { _, last in last }))
        }
        register("DiscretizeActionsWrapper", module: "discretize_actions_wrapper", keys: ["discretization_config"]) {
            env, arguments, _ in
            let discretizations = try (arguments.optionalEntries("discretization_config") ?? []).map { entry in
                try entry.refuseKeys(otherThan: ["num_bins", "low", "high"])
                return (
                    entry.key ?? "",
                    DiscretizeActionsWrapper.Discretization(
                        numBins: try entry.int("num_bins"), low: try entry.optionalDouble("low"),
                        high: try entry.optionalDouble("high"))
                )
            }
            return try DiscretizeActionsWrapper(
                env, discretizations: Dictionary(discretizations, uniquingKeysWith: { _, last in last }))
        }
        register("ObservationStackWrapper", module: "observation_stack_wrapper", keys: ["stack_config"]) {
            env, arguments, _ in
            let configs = try (arguments.optionalElements("stack_config") ?? []).map { entry in
                try entry.refuseKeys(otherThan: ["observation", "stack_steps", "keep_original", "tag", "delta"])
                return ObservationStackWrapper.StackConfig(
                    observation: try entry.string("observation"), stackSteps: try entry.int("stack_steps"),
                    keepOriginal: try entry.optionalBool("keep_original") ?? false,
                    tag: try entry.optionalString("tag"), delta: try entry.optionalBool("delta") ?? false)
            }
            return try ObservationStackWrapper(env, configs: configs)
        }
        wrappers.register(
            "PreProcessingWrapper",
            aliases: ["maze.core.wrappers.observation_preprocessing.preprocessing_wrapper.PreProcessingWrapper"],
            keys: ["pre_processor_mapping"]
        ) { env, arguments, _ in
            let steps = try (arguments.optionalElements("pre_processor_mapping") ?? []).map { entry in
                try entry.refuseKeys(otherThan: ["observation", "_target_", "keep_original", "config"])
                let target = try entry.string("_target_")
                let make = try preProcessorRegistry.factory(named: target)
                return PreProcessingWrapper.Step(
                    observation: try entry.string("observation"),
                    processor: try make(try preProcessorRegistry.arguments(entry.child("config"), for: target)),
                    keepOriginal: try entry.optionalBool("keep_original") ?? false)
            }
            return try PreProcessingWrapper(env, steps: steps)
        }
    }

    private mutating func registerRewardWrappers() {
        register("RewardScalingWrapper", module: "reward_scaling_wrapper", keys: ["scale"]) { env, arguments, _ in
            RewardScalingWrapper(env, scale: try arguments.double("scale"))
        }
        register("RewardClippingWrapper", module: "reward_clipping_wrapper", keys: ["min_val", "max_val"]) {
            env, arguments, _ in
            try RewardClippingWrapper(env, min: arguments.double("min_val"), max: arguments.double("max_val"))
        }
        register(
            "ReturnNormalizationRewardWrapper", module: "return_normalization_reward_wrapper",
            keys: ["gamma", "epsilon"]
        ) { env, arguments, _ in
            try ReturnNormalizationRewardWrapper(
                env, discountFactor: arguments.double("gamma"), epsilon: arguments.optionalDouble("epsilon") ?? 1e-8)
        }
    }
}
