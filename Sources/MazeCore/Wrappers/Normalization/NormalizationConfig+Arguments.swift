extension NormalizationConfig {
    /// Reads Maze's `strategy`/`strategy_config`/`statistics` keys (`default_*` at the top level).
    init(strategy: String?, strategyConfig: ComponentArguments?, statistics: ComponentArguments?) throws(MazeError) {
        self.init()
        if let strategy { self.strategy = try NormalizationStrategy(mazeName: strategy) }
        if let strategyConfig {
            if let clip = try strategyConfig.doubles("clip_range") {
                guard clip.count == 2 else { throw .invalidConfiguration("clip_range must have two entries") }
                clipLow = clip[0].map(Float.init)
                clipHigh = clip[1].map(Float.init)
            }
            perElement = try Self.reducesOverBatchAxis(strategyConfig)
        }
        if let statistics {
            let (firstKey, secondKey) = self.strategy == .meanZeroStdOne ? ("mean", "std") : ("min", "max")
            self.statistics = GivenStatistics(
                first: try Self.floats(statistics, firstKey), second: try Self.floats(statistics, secondKey))
        }
    }

    /// Maze's `axis` is numpy's: `0` or `[0]` reduces over the sampled batch only, giving one statistic per
    /// observation element; `~` (or `[]`) reduces over everything, giving one statistic overall.
    private static func reducesOverBatchAxis(_ strategyConfig: ComponentArguments) throws(MazeError) -> Bool {
        if let axis = try? strategyConfig.int("axis") {
            guard axis == 0 else { throw .invalidConfiguration("axis must be 0, [0] or null (got \(axis))") }
            return true
        }
        return try strategyConfig.list("axis").map { !$0.isEmpty } ?? false
    }

    private static func floats(_ arguments: ComponentArguments, _ key: String) throws(MazeError) -> [Float] {
        if let scalar = try? arguments.double(key) { return [Float(scalar)] }
        let list = try arguments.required(key, arguments.doubles)
        return try list.map { value throws(MazeError) in
            guard let value else { throw .invalidConfiguration("statistic '\(key)' contains null") }
            return Float(value)
        }
    }
}

extension ObservationNormalizationWrapper {
    /// Builds the wrapper from Maze's configuration keys (`default_strategy`, `default_strategy_config`,
    /// `default_statistics`, `exclude`, `manual_config`); statistics not given are estimated later.
    public convenience init(_ env: any StructuredEnv, configuration arguments: ComponentArguments) throws {
        let defaultConfig = try NormalizationConfig(
            strategy: arguments.string("default_strategy"), strategyConfig: arguments.map("default_strategy_config"),
            statistics: arguments.map("default_statistics"))
        let exclude = try (arguments.list("exclude") ?? []).map { value throws(MazeError) in
            guard case .string(let name) = value else { throw .invalidConfiguration("exclude must list names") }
            return name
        }
        var manual: [String: NormalizationConfig] = [:]
        for (name, value) in try arguments.map("manual_config") ?? [:] {
            guard case .map(let entry) = value else { throw MazeError.invalidConfiguration("manual_config.\(name) must be a mapping") }
            manual[name] = try NormalizationConfig(
                strategy: entry.string("strategy") ?? arguments.string("default_strategy"),
                strategyConfig: entry.map("strategy_config"), statistics: entry.map("statistics"))
        }
        self.init(env, defaultConfig: defaultConfig, exclude: exclude, manual: manual)
    }
}
