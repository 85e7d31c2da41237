import MazeConfig

/// What an algorithm needs from a learner service that feeds it the actors' rollouts: how many rollouts one update
/// combines and how old their policy may be. Each algorithm declares it (``ActorCriticAlgorithm/serviceNeeds(_:)``),
/// so the service need not know the algorithms.
public struct ServiceNeeds: Sendable, Equatable {
    /// Which rollouts an update may use.
    public enum Staleness: Sendable, Equatable {
        /// Only rollouts acted with the current weights (on-policy: A2C, PPO).
        case currentVersion
        /// Rollouts up to this many versions behind (IMPALA; V-trace corrects them).
        case boundedLag(Int)
    }

    /// Rollouts combined into one update (`actors_batch_size`).
    public var actorsBatchSize: Int
    public var staleness: Staleness

    public init(actorsBatchSize: Int, staleness: Staleness) {
        self.actorsBatchSize = actorsBatchSize
        self.staleness = staleness
    }
}

extension ActorCriticAlgorithm {
    /// On-policy algorithms train on the current version only; the algorithm `section` may combine several rollouts
    /// into one update with `actors_batch_size` (default 1).
    public func serviceNeeds(_ section: ConfigSection) throws -> ServiceNeeds {
        let batches = try section.int("actors_batch_size", default: 1, in: 1...SettingRanges.actorsBatchSize)
        return ServiceNeeds(actorsBatchSize: batches, staleness: .currentVersion)
    }
}

extension IMPALA {
    /// `actors_batch_size` rollouts per update, each up to Maze's staleness bound behind
    /// (``IMPALASettings/acceptedPolicyLag``).
    public func serviceNeeds(_ section: ConfigSection) throws -> ServiceNeeds {
        ServiceNeeds(
            actorsBatchSize: settings.actorsBatchSize, staleness: .boundedLag(max(0, settings.acceptedPolicyLag)))
    }
}
