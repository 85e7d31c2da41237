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
            // Without listed masks, the env's declared masks (observation → action) in RandomPolicy's direction.
            let declared = Dictionary(env.actionMasks.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
            return RandomPolicy(actionSpaces: env.actionSpaces, maskKeys: masks ?? declared, seed: UInt64(try arguments.int("seed") ?? 0))
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
        registerSpaceWrappers()
        registerRewardWrappers()
    }

    private mutating func register(_ name: String, module: String, _ factory: @escaping WrapperFactory) {
        wrappers.register(name, aliases: ["maze.core.wrappers.\(module).\(name)"], factory)
    }

    private mutating func registerSpaceWrappers() {
        register("DictObservationWrapper", module: "dict_observation_wrapper") { env, arguments, _ in
            try DictObservationWrapper(env, name: arguments.string("observation_name") ?? "observation")
        }
        register("NoDictObservationWrapper", module: "no_dict_observation_wrapper") { env, _, _ in
            try DictObservationWrapper(env)
        }
        register("DictActionWrapper", module: "dict_action_wrapper") { env, arguments, _ in
            try DictActionWrapper(env, name: arguments.string("action_name") ?? "action")
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
                    "NoDictSpacesWrapper needs a single sub-step with exactly one observation and one action entry: \(error)")
            }
        }
        // Maze's ObservationVisualizationWrapper draws observations into TensorBoard with a Python
        // `plot_function`, which swift-maze cannot call; refusing it says so instead of dropping the setting.
        register("ObservationVisualizationWrapper", module: "observation_visualization_wrapper") { _, _, _ in
            throw MazeError.invalidConfiguration(
                "ObservationVisualizationWrapper is not supported: its plot_function is Python code, which swift-maze cannot call to draw observations into TensorBoard; remove it from `wrappers` (it does not change training)")
        }
        register("RandomResetWrapper", module: "random_reset_wrapper") { env, arguments, _ in
            try RandomResetWrapper(
                env, minSkipSteps: arguments.int("min_skip_steps") ?? 0,
                maxSkipSteps: arguments.required("max_skip_steps", arguments.int))
        }
        register("SplitActionsWrapper", module: "split_actions_wrapper") { env, arguments, _ in
            let splits = try arguments.nestedMaps("split_config").mapValues { parts throws(MazeError) in
                var result: [String: [Int]] = [:]
                for (name, value) in parts {
                    guard case .map(let part) = value else { throw MazeError.invalidConfiguration("split part '\(name)' must be a mapping") }
                    result[name] = try part.required("indices", part.ints)
                }
                return result
            }
            return try SplitActionsWrapper(env, splits: splits)
        }
        register("DiscretizeActionsWrapper", module: "discretize_actions_wrapper") { env, arguments, _ in
            let discretizations = try arguments.nestedMaps("discretization_config").mapValues { entry throws(MazeError) in
                DiscretizeActionsWrapper.Discretization(
                    numBins: try entry.required("num_bins", entry.int), low: try entry.double("low"), high: try entry.double("high"))
            }
            return try DiscretizeActionsWrapper(env, discretizations: discretizations)
        }
        register("ObservationStackWrapper", module: "observation_stack_wrapper") { env, arguments, _ in
            let configs = try arguments.mappings("stack_config").map { entry throws(MazeError) in
                ObservationStackWrapper.StackConfig(
                    observation: try entry.required("observation", entry.string),
                    stackSteps: try entry.required("stack_steps", entry.int),
                    keepOriginal: try entry.bool("keep_original") ?? false, tag: try entry.string("tag"),
                    delta: try entry.bool("delta") ?? false)
            }
            return try ObservationStackWrapper(env, configs: configs)
        }
        wrappers.register(
            "PreProcessingWrapper", aliases: ["maze.core.wrappers.observation_preprocessing.preprocessing_wrapper.PreProcessingWrapper"]
        ) { env, arguments, _ in
            let steps = try arguments.mappings("pre_processor_mapping").map { entry in
                let make = try preProcessorRegistry.factory(named: try entry.required("_target_", entry.string))
                return PreProcessingWrapper.Step(
                    observation: try entry.required("observation", entry.string),
                    processor: try make(try entry.map("config") ?? [:]), keepOriginal: try entry.bool("keep_original") ?? false)
            }
            return try PreProcessingWrapper(env, steps: steps)
        }
    }

    private mutating func registerRewardWrappers() {
        register("RewardScalingWrapper", module: "reward_scaling_wrapper") { env, arguments, _ in
            RewardScalingWrapper(env, scale: try arguments.required("scale", arguments.double))
        }
        register("RewardClippingWrapper", module: "reward_clipping_wrapper") { env, arguments, _ in
            try RewardClippingWrapper(
                env, min: arguments.required("min_val", arguments.double), max: arguments.required("max_val", arguments.double))
        }
        register("ReturnNormalizationRewardWrapper", module: "return_normalization_reward_wrapper") { env, arguments, _ in
            try ReturnNormalizationRewardWrapper(
                env, discountFactor: arguments.required("gamma", arguments.double), epsilon: arguments.double("epsilon") ?? 1e-8)
        }
    }
}
