/// Which batches an algorithm trains on, judged by policy lag (learner version − batch version).
public enum StalenessPolicy: Sendable, Equatable {
    /// Off-policy with correction (IMPALA's V-trace): batches up to `maxLag` versions old are used.
    case boundedLag(UInt64)
    /// On-policy (PPO's synchronous rounds): only batches of the current version; the rest are discarded.
    case currentVersionOnly

    public func accepts(lag: UInt64) -> Bool {
        switch self {
        case .boundedLag(let maxLag): lag <= maxLag
        case .currentVersionOnly: lag == 0
        }
    }
}

extension StalenessPolicy {
    /// Maze's IMPALA bound: rollouts at most `queue_out_of_sync_factor + num_actors / actors_batch_size`
    /// versions behind the learner. The sum saturates instead of trapping: a bound beyond `UInt64.max`
    /// accepts every lag, which is what it asks for.
    public static func impala(queueOutOfSyncFactor: Int, numActors: Int, actorsBatchSize: Int) -> StalenessPolicy {
        let perBatch = UInt64(max(0, numActors)) / UInt64(max(1, actorsBatchSize))
        let (sum, overflow) = UInt64(max(0, queueOutOfSyncFactor)).addingReportingOverflow(perBatch)
        return .boundedLag(overflow ? .max : sum)
    }
}
