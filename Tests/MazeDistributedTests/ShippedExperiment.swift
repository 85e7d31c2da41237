import MazeConfig

@testable import MazeDistributed

/// Experiments composed from the shipped `conf/` with `conf_train`, as `maze submit` composes them: the one way the
/// service tests build their configs.
enum ShippedExperiment {
    /// `conf_train` with `overrides`.
    static func compose(_ overrides: [String]) throws -> ComposedConfig {
        try ConfigComposer(searchPath: ConfigSearchPath(shippedDirectory: ConfigSearchPath.shippedDirectory()))
            .compose(rootConfig: "conf_train", overrides: overrides)
    }

    /// The experiment record of `conf_train` with `overrides`, for the algorithm they choose, and its YAML.
    static func experiment(_ overrides: [String]) throws -> (ExperimentConfig, String) {
        let composed = try compose(overrides)
        return (try ExperimentConfig(yaml: composed.yaml, algorithm: composed.choice("algorithm")), composed.yaml)
    }
}
