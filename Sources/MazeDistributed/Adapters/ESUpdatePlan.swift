import MazeTrain

/// How the learner service splits one Evolution Strategies update among the actors' result batches.
///
/// The service combines a fixed number of batches into an update, while Maze's ES collects pairs until the update
/// has `n_rollouts_per_update` episodes and `n_timesteps_per_update` env steps. So an update is one batch per
/// antithetic pair that `n_rollouts_per_update` asks for (`⌈n/2⌉`, at least 1), and each batch holds at least its
/// share of both minimums (rounded up): together the batches meet them, as one process's pairs do. With Maze's
/// defaults (10 episodes, no step minimum) that is 5 batches of one pair, the 5 pairs one process evaluates.
struct ESUpdatePlan: Sendable, Equatable {
    /// Result batches combined into one update.
    let batchesPerUpdate: Int
    /// The settings one batch is collected with: its share of the update's episodes and env steps.
    let batchSettings: ESSettings

    init(_ settings: ESSettings) {
        let batches = max(1, (settings.nRolloutsPerUpdate + 1) / 2)
        batchesPerUpdate = batches
        var share = settings
        share.nRolloutsPerUpdate = Self.share(settings.nRolloutsPerUpdate, of: batches)
        share.nTimestepsPerUpdate = Self.share(settings.nTimestepsPerUpdate, of: batches)
        batchSettings = share
    }

    /// What the learner service needs: ``batchesPerUpdate`` batches of the current policy version only (results
    /// of other parameters say nothing about this update's `θ`).
    var serviceNeeds: ServiceNeeds { ServiceNeeds(actorsBatchSize: batchesPerUpdate, staleness: .currentVersion) }

    /// `⌈total / parts⌉`.
    private static func share(_ total: Int, of parts: Int) -> Int { total / parts + (total % parts == 0 ? 0 : 1) }
}
