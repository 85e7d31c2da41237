import MazeService
import MazeWire

/// The acting policy of an experiment, whichever algorithm it trains: ``ESActingPolicy`` for `algorithm=es`,
/// ``ActorCriticActingPolicy`` for the others. What `maze actor` workers build from an assignment.
///
/// Threading: one thread (the worker's).
public struct ExperimentActingPolicy: ActingPolicy {
    private var policy: any ActingPolicy

    /// The policy of `config`; `envCount` and `seed` as for ``ActorCriticActingPolicy`` (ES evaluates one episode at
    /// a time and seeds by worker id).
    public init(config: ExperimentConfig, envCount: Int, seed: UInt64) throws {
        policy =
            config.isEvolutionStrategies
            ? try ESActingPolicy(config: config)
            : try ActorCriticActingPolicy(config: config, envCount: envCount, seed: seed)
    }

    public mutating func apply(_ update: PolicyUpdate) throws {
        try policy.apply(update)
    }

    public mutating func collect(_ identity: RolloutIdentity) throws -> TrajectoryBatch {
        try policy.collect(identity)
    }
}
