/// The upper bounds of the counts an `algorithm` or `runner` section may set, listed with their keys in
/// docs/CONFIG_RANGES.md.
///
/// Each bound is far above any sensible run on one machine and far below what would overflow a size
/// computation or exhaust memory before the run starts, so that `n_rollout_steps: 1e9` or
/// `queue_out_of_sync_factor: 9223372036854775807` is refused by name instead of trapping or allocating.
package enum SettingRanges {
    /// `rollout_evaluator.n_episodes`.
    package static let episodes = 100_000
    /// `n_epochs`, `patience`, `critic_burn_in_epochs`.
    package static let epochs = 1_000_000
    /// `epoch_length`.
    package static let updatesPerEpoch = 1_000_000
    /// `n_rollout_steps`.
    package static let rolloutSteps = 100_000
    /// PPO's `batch_size`.
    package static let minibatchSize = 1_000_000
    /// PPO's `n_optimization_epochs`.
    package static let optimizationEpochs = 1_000
    /// IMPALA's `queue_out_of_sync_factor`.
    package static let queueOutOfSyncFactor = 1_000
    /// IMPALA's `max_policy_lag`, in policy versions.
    package static let policyLag = 1_000_000
    /// `actors_batch_size`.
    package static let actorsBatchSize = 1_024
    /// IMPALA's `num_actors`.
    package static let actors = 100_000
    /// IMPALA's `n_training_seeds`.
    package static let trainingSeeds = 1 << 31
    /// `runner.concurrency`.
    package static let concurrency = 1_024
    /// `runner.normalization_samples`.
    package static let normalizationSamples = 10_000_000
    /// ES's `n_timesteps_per_update` and `max_steps`.
    package static let esTimestepsPerUpdate = 100_000_000
}
