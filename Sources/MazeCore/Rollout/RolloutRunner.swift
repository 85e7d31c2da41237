import Dispatch
import Foundation

/// Where a rollout's environment comes from: a registered name with parameters, or a factory.
package enum EnvSource: Sendable {
    case named(String, ConfigSection = [:])
    case factory(@Sendable () throws -> any StructuredEnv)
}

/// Where a rollout's agent comes from: a registered policy name with parameters, or a factory.
package enum AgentSource: Sendable {
    case named(String, ConfigSection = [:])
    case factory(@Sendable (any StructuredEnv) throws -> any Policy)
}

/// Maze's rollout runner settings (`runner/parallel.yaml` defaults for the parallel runner).
package struct RolloutSettings: Sendable {
    package var nEpisodes: Int
    /// Steps per episode before truncation; 0 means no limit beyond the env's own.
    package var maxEpisodeSteps: Int
    package var deterministic: Bool
    /// Record each episode through the ``TrajectoryWriter`` (required when true).
    package var recordTrajectory: Bool
    /// Write every event as TSV under `<outputDirectory>/event_logs`.
    package var recordEventLogs: Bool
    package var seeding: RolloutSeeding
    /// Show the env's text picture (``StructuredEnv/render()``) after every step, through ``renderOutput``.
    package var render: Bool = false
    /// Receives each rendered picture; standard output by default. Called from the worker running the episode.
    package var renderOutput: @Sendable (String) -> Void = { print($0) }
    /// The run folder (event logs and trajectories go below it).
    package var outputDirectory: URL
    package var trajectoryWriter: (any TrajectoryWriter)?

    package init(
        nEpisodes: Int = 50, maxEpisodeSteps: Int = 0, deterministic: Bool = true, recordTrajectory: Bool = false,
        recordEventLogs: Bool = false, seeding: RolloutSeeding = RolloutSeeding(),
        outputDirectory: URL = URL(fileURLWithPath: "."), trajectoryWriter: (any TrajectoryWriter)? = nil
    ) {
        self.nEpisodes = nEpisodes
        self.maxEpisodeSteps = maxEpisodeSteps
        self.deterministic = deterministic
        self.recordTrajectory = recordTrajectory
        self.recordEventLogs = recordEventLogs
        self.seeding = seeding
        self.outputDirectory = outputDirectory
        self.trajectoryWriter = trajectoryWriter
    }
}

/// The result of a rollout: every episode in order and the statistics over all of them.
package struct RolloutResult: Sendable {
    package var episodes: [EpisodeOutcome]
    package var statistics: EpochStatistics

    /// The undiscounted return of every episode, in episode order.
    package var episodeReturns: [Double] { episodes.map(\.totalReward) }

    /// The mean undiscounted episode return (0 when no episode ran).
    package var meanReturn: Double {
        episodes.isEmpty ? 0 : episodeReturns.reduce(0, +) / Double(episodes.count)
    }

    /// The statistics as Maze's console table.
    package var table: String { StatsTable.format(step: 1, stats: statistics.reduce(prefix: "rollout_stats")) }
}

/// Runs rollouts on `workers` threads (1: Maze's sequential runner; more: its parallel runner with
/// threads instead of processes). Episodes get the same seeds however they are distributed, so the
/// same settings give the same episodes for any worker count.
package struct RolloutRunner: Sendable {
    package var settings: RolloutSettings
    package var workers: Int
    package var registries: Registries

    package init(settings: RolloutSettings, workers: Int = 1, registries: Registries = .builtIn) {
        self.settings = settings
        self.workers = workers
        self.registries = registries
    }

    /// Builds the env (with `wrappers`, innermost first, plus TimeLimit and LogStats) and the agent.
    package func makeEnvAndAgent(
        env: EnvSource, wrappers: [(name: String, arguments: ConfigSection)], agent: AgentSource
    ) throws -> (env: any StructuredEnv, agent: any Policy) {
        var built: any StructuredEnv
        switch env {
        case .named(let name, let arguments): built = try registries.makeEnv(name, arguments)
        case .factory(let make): built = try make()
        }
        built = try registries.wrap(built, with: wrappers)
        if settings.maxEpisodeSteps > 0 {
            built = try TimeLimitWrapper(built, maxEpisodeSteps: settings.maxEpisodeSteps)
        }
        built = LogStatsWrapper(built, loggingPrefix: "rollout_stats")
        let policy: any Policy
        switch agent {
        case .named(let name, let arguments): policy = try registries.makePolicy(name, arguments, for: built)
        case .factory(let make): policy = try make(built)
        }
        return (built, policy)
    }

    /// Runs the rollout (Maze's `run_with`).
    package func runWith(
        env: EnvSource, wrappers: [(name: String, arguments: ConfigSection)] = [], agent: AgentSource
    ) throws -> RolloutResult {
        guard workers >= 1 else { throw MazeError.invalidConfiguration("a rollout needs at least one worker") }
        if settings.recordTrajectory, settings.trajectoryWriter == nil {
            throw MazeError.invalidConfiguration("record_trajectory needs a trajectory writer")
        }
        let seeds = try settings.seeding.episodeSeeds(nEpisodes: settings.nEpisodes)
        let shares = (0..<workers).map { worker in Array(stride(from: worker, to: seeds.env.count, by: workers)) }
        let results = WorkerResults(count: workers)
        let wrappers = wrappers.map { WrapperSpec(name: $0.name, arguments: $0.arguments) }
        let run: @Sendable (Int) -> Void = { worker in
            results.store(at: worker) {
                try runShare(shares[worker], seeds: seeds, worker: worker, env: env, wrappers: wrappers, agent: agent)
            }
        }
        if workers == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: workers, execute: run) }
        var episodes: [EpisodeOutcome] = []
        var statistics = EpochStatistics()
        for share in try results.collect() {
            episodes += share.episodes
            statistics.merge(share.statistics)
        }
        return RolloutResult(episodes: episodes.sorted { $0.episodeIndex < $1.episodeIndex }, statistics: statistics)
    }

    private struct WrapperSpec: Sendable {
        var name: String
        var arguments: ConfigSection
    }

    private func runShare(
        _ indices: [Int], seeds: (env: [UInt64], agent: [UInt64]), worker: Int, env: EnvSource, wrappers: [WrapperSpec],
        agent: AgentSource
    ) throws -> (episodes: [EpisodeOutcome], statistics: EpochStatistics) {
        let (built, policy) = try makeEnvAndAgent(
            env: env, wrappers: wrappers.map { ($0.name, $0.arguments) }, agent: agent)
        defer { built.close() }
        let recorder = try RolloutRecorder(settings: settings, worker: worker)
        var episodes: [EpisodeOutcome] = []
        for index in indices {
            episodes += try RolloutLoop.runInteractionLoop(
                env: built, agent: policy, nEpisodes: 1, envSeeds: [seeds.env[index]], agentSeeds: [seeds.agent[index]],
                deterministic: settings.deterministic, render: settings.render, renderOutput: settings.renderOutput,
                firstEpisodeIndex: index, observer: recorder)
        }
        let statistics = built.findWrapper(LogStatsWrapper.self)?.popEpochStatistics() ?? EpochStatistics()
        return (episodes, statistics)
    }
}

/// One result slot per worker, each written only by its worker.
private final class WorkerResults: @unchecked Sendable {
    private var slots: [Result<(episodes: [EpisodeOutcome], statistics: EpochStatistics), any Error>?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(at index: Int, _ body: () throws -> (episodes: [EpisodeOutcome], statistics: EpochStatistics)) {
        let result = Result(catching: body)
        lock.withLock { slots[index] = result }
    }

    func collect() throws -> [(episodes: [EpisodeOutcome], statistics: EpochStatistics)] {
        try lock.withLock { slots }.compactMap { try $0?.get() }
    }
}
