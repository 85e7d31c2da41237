import Foundation
import MazeConfig

/// The algorithms by their config group option (`algorithm=a2c|ppo|impala|sac|sacfd`), built from the composed
/// `algorithm` section.
package enum AlgorithmFactory {
    /// The option names, as in `conf/algorithm/`.
    package static let names = ["a2c", "impala", "ppo", "sac", "sacfd"]

    /// The algorithm `name` configured by `section`; an unknown name is a typed error listing the options.
    package static func make(_ name: String, section: ConfigSection) throws -> any ActorCriticAlgorithm {
        switch name {
        case "a2c": return A2C(try A2CSettings(section))
        case "ppo": return PPO(try PPOSettings(section))
        case "impala": return IMPALA(try IMPALASettings(section))
        // SACfD is SAC whose runner seeds the replay buffer from demonstrations (SACRunnerSettings).
        case "sac", "sacfd": return SoftActorCritic(try SACSettings(section))
        case "es":
            throw TrainError.unsupported(
                "algorithm=es is not an actor-critic algorithm: it trains through ESRunner (runner=dev) or the "
                    + "learner service's ES path (docs/ES.md)")
        case "bc":
            _ = try BCSettings(section)
            throw TrainError.unsupported(
                "algorithm=bc trains from trajectory files in one process: maze run -cn conf_train algorithm=bc "
                    + "runner.dataset.input_data=<trajectory_data folder> (docs/IMITATION.md)")
        default:
            throw TrainError.invalidSetting(
                key: "algorithm",
                problem: "unknown algorithm '\(name)', expected one of \(names.joined(separator: ", "))")
        }
    }

    /// The algorithm chosen in a composed training config, read from its `algorithm` section.
    package static func make(_ composed: ComposedConfig) throws -> any ActorCriticAlgorithm {
        guard let name = composed.choice("algorithm") else {
            throw TrainError.invalidSetting(key: "algorithm", problem: "the config chooses no algorithm")
        }
        try refuseDeletedSettings(composed)
        return try make(name, section: composed.root.section("algorithm"))
    }

    /// Refuses `~algorithm.KEY` overrides. The reader would fill a deleted key with its default, silently
    /// undoing the deletion; in Maze the algorithm cannot be built without it. Set a value instead.
    package static func refuseDeletedSettings(_ composed: ComposedConfig) throws {
        for text in composed.overrides {
            guard let override = try? Override(parsing: text), override.action == .delete,
                override.key.hasPrefix("algorithm.")
            else { continue }
            throw TrainError.invalidSetting(
                key: override.key,
                problem:
                    "\(text) deletes a setting the algorithm needs (it would fall back to its default); set a value instead"
            )
        }
    }
}

/// The dev runner's settings from the composed `runner` section (`runner/dev.yaml` with the
/// `algorithm_runner/<algorithm>-dev.yaml` overlay).
package struct DevRunnerSettings: Sendable, Equatable {
    /// Training envs stepped together; 0 means one per CPU, as in Maze.
    package var concurrency: Int
    /// Samples for estimating observation normalization statistics.
    package var normalizationSamples: Int
    /// Evaluation envs playing the evaluation episodes side by side; 0 means one per CPU, as in Maze.
    package var evalConcurrency: Int

    package init(concurrency: Int = 0, normalizationSamples: Int = 1000, evalConcurrency: Int = 0) {
        self.concurrency = concurrency
        self.normalizationSamples = normalizationSamples
        self.evalConcurrency = evalConcurrency
    }

    /// Reads `concurrency`, `normalization_samples` and `eval_concurrency` (absent keys keep the defaults above).
    package init(_ section: ConfigSection) throws {
        concurrency = try section.int("concurrency", default: 0, in: 0...SettingRanges.concurrency)
        normalizationSamples = try section.int(
            "normalization_samples", default: 1000, in: 0...SettingRanges.normalizationSamples)
        evalConcurrency = try section.int("eval_concurrency", default: 0, in: 0...SettingRanges.concurrency)
    }

    /// The number of evaluation envs: `eval_concurrency`, or the active processor count for 0 (the evaluator
    /// makes no more envs than it plays episodes).
    package var evaluationEnvCount: Int {
        evalConcurrency > 0 ? evalConcurrency : ProcessInfo.processInfo.activeProcessorCount
    }

    /// The number of training envs: `concurrency`, or the active processor count for 0.
    package var envCount: Int {
        concurrency > 0 ? concurrency : ProcessInfo.processInfo.activeProcessorCount
    }
}
