import Foundation
import MazeCore
import MazeEnvs
import MazePerception
import Testing

@testable import MazeTrain

/// The session every runner drives: Maze's epoch lines, `input_dir`, and concurrent evaluation giving the
/// synchronous result.
@Suite struct TrainingSessionTests {
    @Test("best-model and epoch-time lines use Maze's wording and precision")
    func epochLines() {
        #expect(EpochLines.newBestModel(score: 28.1) == "-> new overall best model 28.10000!")
        #expect(EpochLines.newBestModel(score: -0.151789) == "-> new overall best model -0.15179!")
        #expect(EpochLines.epochTime(seconds: 19.4321) == "Time required for epoch: 19.43s")
    }

    @Test func aMissingInputDirIsAnErrorNamingTheKey() throws {
        var settings = A2CSettings()
        DevRunnerTests.tiny(&settings, \.common)
        let runner = try DevRunner.make(
            env: "CartPole-v1", algorithm: A2C(settings), recipe: .flattenConcat(hiddenUnits: [8]), envCount: 1,
            options: DevRunnerTests.options(loggingTo: DevRunnerTests.Console()))
        #expect {
            try runner.resume(inputDirectory: "/nonexistent/run")
        } throws: { error in
            guard case .invalidSetting(key: "input_dir", _)? = error as? TrainError else { return false }
            return true
        }
        try runner.resume(inputDirectory: "")  // empty: start afresh
    }

    @Test func anEvaluationOnTheEvaluationThreadEqualsTheSynchronousOne() throws {
        var settings = A2CSettings()
        DevRunnerTests.tiny(&settings, \.common)
        settings.common.rolloutEvaluator.nEpisodes = 3
        let evaluation = settings.common.rolloutEvaluator
        let makeEvaluator: @Sendable () throws -> RolloutEvaluator = {
            try RolloutEvaluator(
                envs: [LogStatsWrapper(try Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]), loggingPrefix: "eval")],
                settings: evaluation, seed: RolloutEvaluator.seed(trainingSeed: 5))
        }
        func session() throws -> TrainingSession<ActorCriticModel> {
            let evaluator = try makeEvaluator()
            let model = try ActorCriticModel(recipe: .flattenConcat(hiddenUnits: [8]), env: evaluator.envs[0], seed: 5)
            var options = TrainingSession<ActorCriticModel>.Options()
            options.log = { _ in }
            return TrainingSession(algorithm: A2C(settings), model: model, evaluator: evaluator, options: options)
        }
        let synchronous = try session()
        let concurrent = try session()
        let env = try SequentialVectorEnv(envs: [Registries.withMazeEnvs.makeEnv("CartPole-v1", [:])])
        var collector = try VectorRolloutCollector(env: env, stepCount: 16)
        try collector.reset(seed: 5)
        var random = MazeRandom(seed: 5)
        _ = try collector.collect(with: synchronous.model, random: &random)
        for session in [synchronous, concurrent] {
            for _ in 0..<settings.common.epochLength { try session.update(collector.buffer) }
        }
        #expect(synchronous.model.parameters == concurrent.model.parameters)
        let expected = try synchronous.finishEpoch(trainStatistics: LogStats())
        concurrent.submitEpoch(trainStatistics: LogStats(), makeEvaluator: makeEvaluator)
        #expect(concurrent.evaluationsInProgress == 1)
        let reports = try concurrent.applyCompletedEvaluations(waiting: true)
        #expect(reports.map(\.meanReturn) == [expected.meanReturn])
        #expect(reports.map(\.isNewBest) == [true])
        #expect(concurrent.selection == synchronous.selection)
        let withoutTimes = { (stats: LogStats) in
            stats.entries.filter { !$0.key.event.hasPrefix("time_") }.map { "\($0.key)=\($0.value)" }
        }
        #expect(reports.first.map { withoutTimes($0.stats) } == withoutTimes(expected.stats))
    }
}
