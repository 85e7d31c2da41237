extension NormalizationConfig {
    /// Reads Maze's `strategy`/`strategy_config`/`statistics` keys (`default_*` at the top level).
    init(strategy: String?, strategyConfig: ConfigSection?, statistics: ConfigSection?) throws {
        self.init()
        if let strategy { self.strategy = try NormalizationStrategy(mazeName: strategy) }
        if let strategyConfig {
            try strategyConfig.refuseKeys(otherThan: ["clip_range", "axis"])
            if let clipSection = strategyConfig.nonNull("clip_range") {
                let clip = try clipSection.elements().map { try $0.isNull ? nil : Float($0.double()) }
                guard clip.count == 2 else { throw clipSection.invalid("must have two entries, got \(clip.count)") }
                clipLow = clip[0]
                clipHigh = clip[1]
            }
            perElement = try Self.reducesOverBatchAxis(strategyConfig)
        }
        if let statistics {
            let (firstKey, secondKey) = self.strategy == .meanZeroStdOne ? ("mean", "std") : ("min", "max")
            try statistics.refuseKeys(otherThan: [firstKey, secondKey])
            self.statistics = GivenStatistics(
                first: try Self.floats(statistics, firstKey), second: try Self.floats(statistics, secondKey))
        }
    }

    /// Maze's `axis` is numpy's: `0` or `[0]` reduces over the sampled batch only, giving one statistic per
    /// observation element; `~` (or `[]`) reduces over everything, giving one statistic overall.
    private static func reducesOverBatchAxis(_ strategyConfig: ConfigSection) throws -> Bool {
        guard let axis = strategyConfig.nonNull("axis") else { return false }
        let axes: [Int]
        if case .list = axis.node { axes = try axis.ints() } else { axes = [try axis.int()] }
        guard axes == [] || axes == [0] else { throw axis.invalid("must be 0, [0] or null, got \(axes)") }
        return !axes.isEmpty
    }

    /// A statistic given as one number or a list of numbers.
    private static func floats(_ statistics: ConfigSection, _ key: String) throws -> [Float] {
        let value = try statistics.section(key)
        if let scalar = try? value.double() { return [Float(scalar)] }
        return try value.doubles().map(Float.init)
    }
}

extension ObservationNormalizationWrapper {
    /// The keys of Maze's wrapper config. `statistics_dump` and `sampling_policy` are accepted only with the values
    /// swift-maze implements (see ``refuseUnsupportedSampling(_:)``).
    static let configurationKeys: Set<String> = [
        "default_strategy", "default_strategy_config", "default_statistics", "statistics_dump", "sampling_policy",
        "exclude", "manual_config",
    ]

    /// Builds the wrapper from Maze's configuration keys (`default_strategy`, `default_strategy_config`,
    /// `default_statistics`, `exclude`, `manual_config`); statistics not given are estimated later.
    public convenience init(_ env: any StructuredEnv, configuration arguments: ConfigSection) throws {
        try Self.refuseUnsupportedSampling(arguments)
        let defaultStrategy = try arguments.optionalString("default_strategy")
        let defaultConfig = try NormalizationConfig(
            strategy: defaultStrategy, strategyConfig: arguments.nonNull("default_strategy_config"),
            statistics: arguments.nonNull("default_statistics"))
        let exclude = try (arguments.optionalElements("exclude") ?? []).map { try $0.string() }
        var manual: [String: NormalizationConfig] = [:]
        for (name, entry) in try arguments.nonNull("manual_config")?.entriesByKey() ?? [:] {
            try entry.refuseKeys(otherThan: ["strategy", "strategy_config", "statistics"])
            manual[name] = try NormalizationConfig(
                strategy: entry.optionalString("strategy") ?? defaultStrategy,
                strategyConfig: entry.nonNull("strategy_config"), statistics: entry.nonNull("statistics"))
        }
        self.init(env, defaultConfig: defaultConfig, exclude: exclude, manual: manual)
    }
}

extension ObservationNormalizationWrapper {
    /// The runners estimate statistics with uniformly random actions and write them to `statistics.json` in the
    /// run folder, which is what Maze's `statistics_dump: statistics.json` and `sampling_policy: RandomPolicy`
    /// ask for; any other value is refused by key rather than ignored.
    static func refuseUnsupportedSampling(_ arguments: ConfigSection) throws {
        if let dump = arguments.nonNull("statistics_dump"), try dump.string() != "statistics.json" {
            throw dump.invalid(
                "statistics are written to statistics.json in the run folder; set statistics.json or remove the key")
        }
        if let policy = arguments.nonNull("sampling_policy") {
            let target = try policy.section("_target_")
            guard ["RandomPolicy", "maze.core.agent.random_policy.RandomPolicy"].contains(try target.string()) else {
                throw target.invalid(
                    "statistics are sampled with random actions only; use RandomPolicy or remove the key")
            }
        }
    }
}
