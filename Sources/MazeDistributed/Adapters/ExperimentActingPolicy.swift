import MazeService
import MazeWire

/// The acting half of an assigned experiment, for the algorithm it names: ``ESActingPolicy`` for `algorithm=es`,
/// ``SACActingPolicy`` for `algorithm=sac|sacfd`, ``ActorCriticActingPolicy`` for A2C, PPO and IMPALA. `maze actor`
/// workers act for any of them through this one type.
///
/// Threading: one thread (the worker's).
public struct ExperimentActingPolicy: ActingPolicy {
    private var base: any ActingPolicy
    /// The envs stepped together: the `envCount` asked for, but 1 for ES, whose actors evaluate each perturbation
    /// for whole episodes, one at a time (more perturbations at once take more workers: the envs of one worker would
    /// each need their own perturbed weights, and one thread gains nothing from stepping them side by side).
    public let envCount: Int

    /// Builds `envCount` envs and the policy of `config`; `seed` seeds the envs and the sampling (give every worker
    /// its own). ES evaluates one episode at a time (``envCount`` 1) and seeds by worker id.
    public init(config: ExperimentConfig, envCount: Int, seed: UInt64) throws {
        if config.isEvolutionStrategies {
            base = try ESActingPolicy(config: config)
            self.envCount = 1
            return
        }
        self.envCount = envCount
        switch config.algorithmName {
        case "sac", "sacfd": base = try SACActingPolicy(config: config, envCount: envCount, seed: seed)
        default: base = try ActorCriticActingPolicy(config: config, envCount: envCount, seed: seed)
        }
    }

    public mutating func apply(_ update: PolicyUpdate) throws {
        try base.apply(update)
    }

    public mutating func collect(_ identity: RolloutIdentity) throws -> TrajectoryBatch {
        try base.collect(identity)
    }

    public func envSteps(in batch: TrajectoryBatch) -> Int { base.envSteps(in: batch) }
}
