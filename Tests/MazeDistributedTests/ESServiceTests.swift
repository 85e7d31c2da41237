import Foundation
import MazeConfig
import MazePerception
import MazeTrain
import MazeWire
import Synchronization
import Testing

@testable import MazeDistributed
@testable import MazeService

/// Evolution Strategies on the service, in process: the actors' result batches (`ESResultBatch`), the learner's
/// update from them (`ESTraining` in `ActorCriticLearner`), and malformed results left out and counted.
@Suite("ES on the service")
struct ESServiceTests {
    /// A small CartPole ES experiment composed from the shipped conf/ with the default `runner=local`, as
    /// `maze submit` composes it.
    static func experiment(_ extra: [String] = []) throws -> (ExperimentConfig, String) {
        try ShippedExperiment.experiment(
            [
                "env=gym_env", "env.name=CartPole-v1", "model=vector_obs", "algorithm=es",
                "algorithm.n_rollouts_per_update=4", "runner.n_eval_rollouts=1",
                "runner.shared_noise_table_size=100000", "+env.max_episode_steps=30",
            ] + extra)
    }

    static func identity(_ actor: String, version: UInt64 = 0) -> RolloutIdentity {
        RolloutIdentity(experimentID: "e", actorID: actor, policyVersion: version)
    }

    /// `d`, the parameters ES perturbs in the experiment's policy.
    static func dimension(_ config: ExperimentConfig) throws -> Int {
        let settings = try config.esSettings()
        let model = try ActorCriticModel(recipe: config.esPolicyRecipe(), env: config.makeEnv(), seed: 0)
        return try EvolutionStrategies(settings, noise: SharedNoiseTable(count: settings.sharedNoiseTableSize))
            .policyDimension(of: model)
    }

    /// Log lines, collected from the learner's log callback.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// A learner whose log lines are kept.
    static func learner(_ config: ExperimentConfig, _ yaml: String) throws -> (ActorCriticLearner, Lines) {
        let lines = Lines()
        let learner = try ActorCriticLearner(
            config: config, configYAML: yaml, outputDirectory: nil, log: { lines.append($0) })
        return (learner, lines)
    }

    @Test func anUpdateSplitsIntoOneBatchPerPair() {
        var settings = ESSettings()
        #expect(ESUpdatePlan(settings).batchesPerUpdate == 5)
        #expect(ESUpdatePlan(settings).batchSettings.nRolloutsPerUpdate == 2)
        settings.nRolloutsPerUpdate = 9
        settings.nTimestepsPerUpdate = 1_001
        #expect(ESUpdatePlan(settings).batchesPerUpdate == 5)
        #expect(ESUpdatePlan(settings).batchSettings.nRolloutsPerUpdate == 2)
        #expect(ESUpdatePlan(settings).batchSettings.nTimestepsPerUpdate == 201)
        settings.nRolloutsPerUpdate = 0
        #expect(ESUpdatePlan(settings).serviceNeeds == ServiceNeeds(actorsBatchSize: 1, staleness: .currentVersion))
        #expect(ESUpdatePlan(settings).batchSettings.nTimestepsPerUpdate == 1_001)
    }

    @Test func actorsResultsFeedTheLearnersUpdate() throws {
        let (config, yaml) = try Self.experiment()
        #expect(try config.serviceNeeds() == ServiceNeeds(actorsBatchSize: 2, staleness: .currentVersion))
        let (made, lines) = try Self.learner(config, yaml)
        var learner = made
        #expect(learner.batchesPerUpdate == 2)
        #expect(learner.stalenessPolicy == .currentVersionOnly)
        #expect(learner.batchSchema == ESResultBatch.schema)
        var actor = try ExperimentActingPolicy(config: config, envCount: 3, seed: 1)
        try actor.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))

        let batches = try ["a/actor-0", "b/actor-0"].map { try actor.collect(Self.identity($0)) }
        for batch in batches {
            #expect(batch.steps == 2 && batch.envs == 1)
            #expect(batch.episodes.count == 2)
            #expect(ESResultBatch.schema.violation(of: batch) == nil)
            let indices = try #require(try batch.actions["noise_index"]?.values(as: Int64.self))
            #expect(indices[0] == indices[1])
        }
        // Different workers draw different pairs; the same worker, version and batch number draws the same.
        #expect(batches[0].actions != batches[1].actions)
        var again = try ESActingPolicy(config: config)
        try again.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        #expect(try again.collect(Self.identity("a/actor-0")) == batches[0])

        let before = learner.weights
        try learner.update(with: batches)
        #expect(learner.weights != before)
        #expect(learner.progress.epoch == 1)
        let steps = batches.flatMap(\.episodes).reduce(0) { $0 + $1.length }
        #expect(lines.all.contains { $0.contains("ES update 1: 2 pairs, \(steps) env steps") })
        try learner.finishEvaluations()
        #expect(learner.progress.bestReturn != nil)
    }

    /// An ES worker steps one env whatever `maze actor --envs` asks (`envCount`, which the command compares with
    /// its `--envs`), and counts a result batch's env steps (its heartbeats, `maze status`' STEPS/S) from the
    /// episodes' lengths rather than its two rows per pair.
    @Test func actorsStepOneEnvAndCountTheEpisodesSteps() throws {
        let (config, yaml) = try Self.experiment()
        let (learner, _) = try Self.learner(config, yaml)
        var actor = try ExperimentActingPolicy(config: config, envCount: 3, seed: 1)
        #expect(actor.envCount == 1)
        try actor.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        let batch = try actor.collect(Self.identity("a/actor-0"))
        let lengths = batch.episodes.map(\.length)
        #expect(lengths.count == 2 && lengths.allSatisfy { $0 >= 1 })
        #expect(actor.envSteps(in: batch) == lengths.reduce(0, +))
        #expect(actor.envSteps(in: batch) > batch.steps * batch.envs)
    }

    /// The one-process update from the same pair results: the service applies exactly ES's step.
    @Test func theUpdateIsTheOneProcessStep() throws {
        let (config, yaml) = try Self.experiment(["seeding.env_base_seed=4"])
        var learner = try Self.learner(config, yaml).0
        var actor = try ESActingPolicy(config: config)
        try actor.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        let batches = try ["x", "y"].map { try actor.collect(Self.identity($0)) }
        let settings = try config.esSettings()
        let evolution = EvolutionStrategies(settings, noise: SharedNoiseTable(count: settings.sharedNoiseTableSize))
        var model = try ActorCriticModel(
            recipe: config.esPolicyRecipe(), env: config.makeEnv(), seed: 0)
        try WeightsCoding.assign(learner.weights, to: &model.parameters)
        var optimizer = evolution.makeOptimizer()
        var statistics = LearnerStatistics()
        let dimension = try evolution.policyDimension(of: model)
        let results = try batches.flatMap {
            try ESResultBatch.results(of: $0, dimension: dimension, tableSize: settings.sharedNoiseTableSize).pairs
        }
        try evolution.update(&model, optimizer: &optimizer, results: results, statistics: &statistics)
        try learner.update(with: batches)
        #expect(learner.weights == (try WeightsCoding.wireTensors(model.parameters)))
    }

    @Test func malformedResultsAreLeftOutAndCounted() throws {
        let (config, yaml) = try Self.experiment()
        let (made, lines) = try Self.learner(config, yaml)
        var learner = made
        var actor = try ESActingPolicy(config: config)
        try actor.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        let good = try actor.collect(Self.identity("a"))
        let dimension = try Self.dimension(config)

        func replacing(indices: [Int64]? = nil, rewards: [Float]? = nil, episodes: [EpisodeSummary]? = nil) throws
            -> TrajectoryBatch
        {
            try TrajectoryBatch(
                experimentID: "e", actorID: "mallory", policyVersion: 0, steps: 2, envs: 1, observations: [:],
                actions: [
                    "noise_index": indices.map { try WireTensor(shape: [2, 1], values: $0) }
                        ?? good.actions["noise_index"]!
                ],
                rewards: rewards.map { try WireTensor(shape: [2, 1], values: $0) } ?? good.rewards,
                terminated: good.terminated, truncated: good.truncated, behaviourLogProbs: good.behaviourLogProbs,
                episodes: episodes ?? good.episodes)
        }
        let tooLarge = Int64(100_000 - dimension + 1)
        let malformed: [(TrajectoryBatch, String)] = [
            (try replacing(indices: [tooLarge, tooLarge]), "noise_index"),
            (try replacing(indices: [-1, -1]), "noise_index"),
            (try replacing(indices: [3, 4]), "noise_index"),
            (try replacing(episodes: Array(good.episodes.prefix(1))), "episodes"),
            (try replacing(rewards: [1e6, 1e6]), "returns"),
            (
                try replacing(
                    episodes: good.episodes.map { EpisodeSummary(episodeReturn: $0.episodeReturn, length: 0) }),
                "episodes"
            ),
        ]
        for (batch, reason) in malformed {
            #expect(ESResultBatch.schema.violation(of: batch) == nil)
            do {
                _ = try ESResultBatch.results(of: batch, dimension: dimension, tableSize: 100_000)
                Issue.record("expected a \(reason) problem")
            } catch {
                #expect(error.reason == reason, "\(error)")
            }
        }
        // A NaN return is refused at ingress by the batch schema.
        let nan = try replacing(
            episodes: [EpisodeSummary(episodeReturn: .nan, length: 3), good.episodes[1]])
        #expect(ESResultBatch.schema.violation(of: nan)?.reason == .nonFinite)

        // The update goes on with the good batch; the others are counted and logged once per reason.
        let before = learner.weights
        for (batch, _) in malformed { try learner.update(with: [good, batch]) }
        try learner.finishEvaluations()  // the last epoch ends once the one before is evaluated
        #expect(learner.weights != before)
        #expect(learner.progress.epoch == UInt64(malformed.count))
        let logged = lines.all
        #expect(logged.filter { $0.hasPrefix("rejected ES results") }.count == 3)
        #expect(logged.contains { $0.hasSuffix("rejected so far: episodes 2, noise_index 3, returns 1") })
    }

    @Test func submissionsAreCheckedAsTheLearnerBuildsThem() throws {
        let check = SubmissionPolicy.experimentCheck(
            memoryBudget: MemoryBudget(mebibytes: 1_024), queueOutOfSyncFactor: 2)
        let (_, yaml) = try Self.experiment()
        try check(yaml, "es")
        let (_, withCritic) = try Self.experiment(["critic=template_state"])
        #expect(Self.failure { try check(withCritic, "es") }.contains("model.critic"))
        let (_, unknownKey) = try Self.experiment(["+algorithm.lr=0.1"])
        #expect(Self.failure { try check(unknownKey, "es") }.contains("algorithm.lr"))
        // A table smaller than the policy fails the experiment's build, naming the key.
        let (small, smallYAML) = try Self.experiment(["runner.shared_noise_table_size=100"])
        #expect(
            Self.failure { _ = try ActorCriticLearner(config: small, configYAML: smallYAML, outputDirectory: nil) }
                .contains("runner.shared_noise_table_size"))
    }

    /// The error `body` throws, as text; empty when it succeeds.
    static func failure(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch { return "\(error)" }
    }
}
