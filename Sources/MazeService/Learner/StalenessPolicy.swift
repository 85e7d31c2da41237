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
