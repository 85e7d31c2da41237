import Dispatch
import MazeCore
import Synchronization

/// Runs whole episodes of a policy and collects their statistics (Maze's sequential and parallel
/// rollout runners).
///
/// Episode `i` is seeded from `baseSeed` exactly as episode `i` of a `RolloutEvaluator` with the same
/// seed, so a rollout of a trained policy reproduces the evaluation that selected it. Workers take
/// every `workers`-th episode; the results do not depend on the number of workers.
public struct RolloutRunner: Sendable {
    /// `runner` section settings of `conf_rollout`.
    public struct Settings: Sendable, Equatable {
        public var nEpisodes: Int
        /// Steps after which an episode is cut off; 0 runs until the env ends it.
        public var maxEpisodeSteps: Int
        public var deterministic: Bool
        /// Episodes run concurrently (`n_processes` of the parallel runner; 1 for the sequential one).
        public var workers: Int
        public var baseSeed: UInt64

        public init(nEpisodes: Int, maxEpisodeSteps: Int = 0, deterministic: Bool = true, workers: Int = 1, baseSeed: UInt64 = 0) {
            self.nEpisodes = nEpisodes
            self.maxEpisodeSteps = maxEpisodeSteps
            self.deterministic = deterministic
            self.workers = workers
            self.baseSeed = baseSeed
        }
    }

    /// The returns of the episodes in order and the statistics of all of them (prefix `rollout`).
    public struct Result: Sendable {
        public var episodeReturns: [Double]
        public var stats: LogStats

        public var meanReturn: Double {
            episodeReturns.isEmpty ? 0 : episodeReturns.reduce(0, +) / Double(episodeReturns.count)
        }
    }

    public let settings: Settings
    private let makeEnv: @Sendable () throws -> any StructuredEnv
    private let makePolicy: @Sendable (any StructuredEnv) throws -> any Policy

    /// A runner building one env and one policy per worker.
    public init(
        settings: Settings, makeEnv: @escaping @Sendable () throws -> any StructuredEnv,
        makePolicy: @escaping @Sendable (any StructuredEnv) throws -> any Policy
    ) {
        self.settings = settings
        self.makeEnv = makeEnv
        self.makePolicy = makePolicy
    }

    /// Runs the episodes, `workers` at a time.
    public func run() throws -> Result {
        let workers = max(1, min(settings.workers, settings.nEpisodes))
        let episodeSeeds = episodeSeeds()
        let outcomes = Mutex<[Int: WorkerOutcome]>([:])
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do {
                let episodes = Array(stride(from: worker, to: settings.nEpisodes, by: workers))
                let outcome = try runEpisodes(episodes.map { episodeSeeds[$0] })
                outcomes.withLock { $0[worker] = outcome }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return outcomes.withLock { byWorker in
            var returns = [Double](repeating: 0, count: settings.nEpisodes)
            var statistics = EpochStatistics()
            for (worker, outcome) in byWorker {
                for (index, value) in outcome.returns.enumerated() { returns[worker + index * workers] = value }
                statistics.merge(outcome.statistics)
            }
            return Result(episodeReturns: returns, stats: statistics.reduce(prefix: "rollout"))
        }
    }

    /// The reset seed of each episode, as `RolloutEvaluator` draws them.
    private func episodeSeeds() -> [UInt64] {
        var seeds = MazeRandom(seed: settings.baseSeed)
        return (0..<settings.nEpisodes).map { _ in
            var episode = MazeRandom(seed: seeds.nextSeed())
            return episode.nextSeed()
        }
    }

    /// What one worker brings back: its episodes' returns in order and their statistics.
    private struct WorkerOutcome: Sendable {
        var returns: [Double]
        var statistics: EpochStatistics
    }

    private func runEpisodes(_ seeds: [UInt64]) throws -> WorkerOutcome {
        let env = LogStatsWrapper(try makeEnv(), loggingPrefix: "rollout")
        let policy = try makePolicy(env)
        var returns: [Double] = []
        for seed in seeds {
            env.seed(seed)
            policy.seed(seed ^ 0x5EED)
            var observation = try env.reset()
            policy.reset()
            var total = 0.0
            var steps = 0
            while true {
                let action = try policy.computeAction(
                    observation: observation, actorID: env.actorID, deterministic: settings.deterministic, env: env)
                let result = try env.step(action)
                total += result.reward
                steps += 1
                if result.done || (settings.maxEpisodeSteps > 0 && steps >= settings.maxEpisodeSteps) { break }
                observation = result.observation
            }
            returns.append(total)
        }
        return WorkerOutcome(returns: returns, statistics: env.popEpochStatistics())
    }
}
