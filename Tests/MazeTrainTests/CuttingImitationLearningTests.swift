import Foundation
import MazeCore
import MazePerception
import Testing

@testable import MazeEnvs
@testable import MazeTrain

/// Behavioural cloning of the greedy best-fit heuristic on the masked structured cutting problem (select a piece,
/// then cut it; both choices masked), from recorded trajectory files: the clone cuts with as few raw pieces per step
/// as the greedy policy (the env's `raw_piece_usage_per_step` KPI), on the problem of ``LearningTests``.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"))
struct CuttingImitationLearningTests {
    @Test func cloningTheGreedyCutterReachesTheGreedyLevel() throws {
        let folder = BehaviouralCloningTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ContinuousClock()
        let start = clock.now
        let greedy = try LearningTests.rawPiecesPerStep(Cutting2DGreedyPolicy(), episodes: 1)
        try BehaviouralCloningTests.record(
            Cutting2DGreedyPolicy(), in: LearningTests.makeCuttingEnv(), into: folder, episodes: 10)
        let files = try DemonstrationDatasetSettings(inputData: [folder.path]).files()
        let demonstrations = try Demonstrations(
            files: files, cycle: SubStepCycle(LearningTests.makeCuttingEnv()), key: "input_data")
        let (training, validation) = demonstrations.split(validationPercentage: 20, seed: 1)

        var settings = BCSettings()
        settings.nEpochs = 40
        settings.nEvalEpisodes = 1
        var options = DevRunner<ActorCriticModel>.Options()
        options.seed = 1
        options.log = { _ in }
        options.targetReturn = greedy.meanReturn
        let runner = try DevRunner.imitation(
            makeEnv: { try LearningTests.makeCuttingEnv() },
            algorithm: BehaviouralCloning(settings, trainingRows: training.count), training: training,
            validation: validation, recipe: .flattenConcat(hiddenUnits: [64, 64]), options: options)
        let summary = try runner.train()

        let evaluator = try RolloutEvaluator(
            envs: [LogStatsWrapper(try LearningTests.makeCuttingEnv(), loggingPrefix: "eval")],
            settings: EvaluatorSettings(deterministic: true, nEpisodes: 1), seed: 9)
        let clone = try LearningTests.rawPieces(in: try evaluator.evaluate(runner.model).stats)
        print(
            "[learning] cutting_2d_struct_masked BC: \(clone) raw pieces/step (greedy \(greedy.rawPieces)) after "
                + "\(summary.epochs) epochs over \(training.count) demonstrated decisions (\(validation.count) held "
                + "out), \(clock.now - start)")
        #expect(clone <= greedy.rawPieces)
    }
}
