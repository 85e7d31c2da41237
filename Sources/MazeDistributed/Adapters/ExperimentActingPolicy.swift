import MazeService
import MazeWire

/// The acting half of an assigned experiment, for the algorithm it names: ``SACActingPolicy`` for
/// `algorithm=sac|sacfd`, ``ActorCriticActingPolicy`` for A2C, PPO and IMPALA. `maze actor` workers act for any of
/// them through this one type.
public struct ExperimentActingPolicy: ActingPolicy {
    private var base: any ActingPolicy

    /// Builds `envCount` envs and the policy of `config`; `seed` seeds the envs and the sampling (give every worker
    /// its own).
    public init(config: ExperimentConfig, envCount: Int, seed: UInt64) throws {
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
}
