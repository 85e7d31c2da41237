/// The learner's credit-based flow control: actors produce what the learner uses.
///
/// Each registered actor may push only as many batches as it holds credits. The learner keeps at most `budget`
/// credits outstanding over all actors (granted, and the batch not yet taken or dropped): `actors_batch_size ×`
/// the accepted policy lag for IMPALA, so that every batch produced is trained on before it is too old, and
/// `actors_batch_size` for PPO, so that each synchronous round collects exactly one update's worth with the
/// newest weights. A credit comes back when the learner has disposed of the batch (trained on it, or rejected
/// it); free credits go to the actors holding the fewest. Grants are cumulative per registration
/// (`Heartbeat.credits`: "you may push this many batches since your latest `Register`"), so a lost grant is
/// repaired by the next one. A value type owned by the learner's service thread.
struct BatchCredits {
    private struct Account {
        /// Credits granted since the actor's latest registration.
        var granted: UInt64 = 0
        /// The actor's disposed-batch count at its registration: what it used before then does not count.
        var baseline: UInt64
    }

    /// The most credits outstanding over all actors; 0 grants none (no experiment running).
    var budget = 0
    private var accounts: [String: Account] = [:]

    /// Credits outstanding for IMPALA at policy lag `maxLag` or for PPO, combining `batchesPerUpdate` per update;
    /// capped so that an unbounded lag (a learner taking any batch) still bounds what waits in buffers.
    static func budget(batchesPerUpdate: Int, staleness: StalenessPolicy) -> Int {
        let updates: UInt64 =
            switch staleness {
            case .currentVersionOnly: 1
            case .boundedLag(let maxLag): min(max(maxLag, 1), 16)
            }
        return max(1, batchesPerUpdate) * Int(updates)
    }

    /// Starts a fresh account for `actor`, which has just (re-)registered; `disposed` is the number of its
    /// batches the learner has disposed of so far.
    mutating func register(_ actor: String, disposed: UInt64) {
        accounts[actor] = Account(baseline: disposed)
    }

    /// The cumulative grant of `actor` since its registration; `nil` when it has no account or nothing is limited
    /// (no budget: flow control off, or no experiment running).
    func limit(of actor: String) -> UInt64? {
        budget > 0 ? accounts[actor].map(\.granted) : nil
    }

    /// Hands out free credits given each actor's disposed-batch count, forgetting actors that are not `live`;
    /// returns the actors whose grant grew, with their new cumulative grant.
    mutating func grant(disposed: [String: UInt64], live: Set<String>) -> [(actor: String, limit: UInt64)] {
        accounts = accounts.filter { live.contains($0.key) }
        var outstanding: [String: UInt64] = [:]
        for (actor, account) in accounts {
            let used = (disposed[actor] ?? 0) &- min(account.baseline, disposed[actor] ?? 0)
            // Batches pushed before the first grant (or beyond it, by an actor that ignores credits) are not owed.
            if used > account.granted { accounts[actor]?.granted = used }
            outstanding[actor] = (accounts[actor]?.granted ?? 0) - min(used, accounts[actor]?.granted ?? 0)
        }
        var free = budget - Int(min(outstanding.values.reduce(0, +), UInt64(Int.max)))
        var grown = Set<String>()
        while free > 0, let actor = outstanding.min(by: { ($0.value, $0.key) < ($1.value, $1.key) })?.key {
            outstanding[actor, default: 0] += 1
            accounts[actor]?.granted += 1
            grown.insert(actor)
            free -= 1
        }
        return grown.sorted().compactMap { actor in accounts[actor].map { (actor, $0.granted) } }
    }
}
