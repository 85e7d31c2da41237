import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazeTensor
import MazeTestSupport
import Testing

@testable import MazePerception
@testable import MazeTrain

/// SAC in the dev runner: the shipped `sac.yaml` equals the built-in defaults, settings the
/// implementation cannot honour are refused by key, and short runs on a continuous and a discrete env
/// fill the replay buffer with random actions first, then move the critics, the targets and α.
@Suite struct SoftActorCriticTests {
    static let stateAction: ModelRecipe = {
        var recipe = ModelRecipe.flattenConcat(hiddenUnits: [32, 32])
        recipe.criticKind = .stateAction
        return recipe
    }()

    @Test func shippedYAMLEqualsBuiltInDefaults() throws {
        let url = PythonInterop.repositoryRoot.appendingPathComponent("conf/algorithm/sac.yaml")
        let settings = try SACSettings(
            ConfigSection(root: try ConfigNode(yaml: String(contentsOf: url, encoding: .utf8))))
        #expect(settings == SACSettings())
        #expect(settings.common.lr == 0.001 && settings.common.gamma == 0.99 && settings.common.entropyCoef == 0.2)
        #expect(settings.tau == 0.005 && settings.replayBufferSize == 1_000_000 && settings.initialBufferSize == 10_000)
    }

    /// Maze's command line `algorithm=sac model=vector_obs critic=template_state_action runner=dev` composes
    /// from the shipped `conf/` into SAC's defaults and a state-action model for Pendulum.
    @Test func mazeCommandLineComposesIntoSettingsAndModel() throws {
        let composed = try ComposedTrainingConfigTests.compose(
            ["runner=dev", "algorithm=sac", "model=vector_obs", "critic=template_state_action", "algorithm.tau=0.01"])
        var expected = SACSettings()
        expected.tau = 0.01
        #expect(try SACSettings(composed.root.section("algorithm")) == expected)
        #expect(try composed.root.section("runner").string("_target_") == "SACDevRunner")
        let recipe = try PerceptionRegistry.standard().recipe(model: composed.root.section("model"))
        #expect(recipe.criticKind == .stateAction)
        let pendulum = try Registries.withMazeEnvs.makeEnv("Pendulum-v1")
        let model = try SoftActorCriticModel(
            recipe: recipe, observationSpace: pendulum.observationSpace, actionSpace: pendulum.actionSpace, seed: 0)
        #expect(!model.isDiscrete && model.policy.heads[0].kind == .squashedGaussian)
        #expect(model.targetParameters.names == model.criticParameters.names)
        // `maze run` trains it; on the learner service an update is one iteration of batches of any policy version.
        let sac = try #require(try AlgorithmFactory.make(composed) as? SoftActorCritic)
        #expect(sac.settings == expected)
        #expect(
            try sac.serviceNeeds(composed.root.section("algorithm"))
                == ServiceNeeds(actorsBatchSize: 1, staleness: .boundedLag(.max)))
    }

    /// The learner service's updates take the gradient steps the env steps they add are owed at the dev runner's
    /// rate, here `num_batches_per_iter` 3 per `rollouts_per_iteration × n_rollout_steps × num_actors` = 2 × 1 × 4 env
    /// steps, none before 𝒟 holds `initial_buffer_size` transitions; remainders carry over.
    @Test func serviceUpdatesTakeTheGradientStepsTheirEnvStepsAreOwed() throws {
        var settings = SACSettings()
        (settings.numBatchesPerIter, settings.rolloutsPerIteration, settings.numActors) = (3, 2, 4)
        (settings.initialBufferSize, settings.batchSize) = (10, 4)
        let sac = SoftActorCritic(settings)
        let rate = sac.gradientStepsPerEnvStep
        #expect(rate.numerator == 3 && rate.denominator == 8)
        let pendulum = try Registries.withMazeEnvs.makeEnv("Pendulum-v1")
        var model = try SoftActorCriticModel(
            recipe: Self.stateAction, observationSpace: pendulum.observationSpace, actionSpace: pendulum.actionSpace,
            seed: 1)
        var (optimizer, random, statistics) = (sac.makeOptimizer(), MazeRandom(seed: 3), LearnerStatistics())
        var steps: [Int] = []
        for _ in 0..<5 {
            #expect(sac.isFillingInitialBuffer == (sac.replayCount < 10))
            try sac.updateFromActors(
                Self.rollout(rows: 5), model: &model, optimizer: &optimizer, random: &random, trainPolicy: true,
                statistics: &statistics, tape: Tape())
            steps.append(sac.gradientStepCount)
        }
        // 5 transitions: filling, no step; from 10 on each update adds 5 · 3 = 15 eighths: 15 → 1 step (7 carried),
        // 22 → 2 (6 carried), 21 → 2 (5 carried), 20 → 2 (4 carried).
        #expect(steps == [0, 1, 3, 5, 7])
        #expect(!sac.isFillingInitialBuffer && sac.replayCount == 25)
    }

    /// `rows` Pendulum-shaped transitions.
    static func rollout(rows: Int) throws -> RolloutBuffer {
        var rollout = try RolloutBuffer(stepCount: rows, envCount: 1, observationWidth: 3, actionWidth: 1)
        for step in 0..<rows {
            let x = Float(step) / Float(rows)
            rollout.recordDecision(step: step, observations: [cos(x), sin(x), x], actions: [2 * x - 1], logProbs: [0])
            rollout.recordOutcome(
                step: step, rewards: [-x], terminated: [false], truncated: [false], successors: [cos(x), sin(x), x])
        }
        return rollout
    }

    @Test func unsupportedSettingsAreRefusedByKey() throws {
        for (yaml, key) in [
            ("device: cuda", "algorithm.device"),
            ("split_rollouts_into_transitions: false", "algorithm.split_rollouts_into_transitions"),
            ("initial_sampling_policy: {_target_: my.HeuristicPolicy}", "algorithm.initial_sampling_policy._target_"),
            ("tau: 2", "algorithm.tau"),
        ] {
            let section = try ConfigSection(root: ConfigNode(yaml: "algorithm: {\(yaml)}")).section("algorithm")
            do {
                _ = try SACSettings(section)
                Issue.record("'\(yaml)' was accepted")
            } catch {
                #expect("\(error)".hasPrefix(key + ":"), "\(error)")
            }
        }
    }

    @Test func stateCriticIsRefusedForSACAndStateActionCriticForPPO() throws {
        let pendulum = try Registries.withMazeEnvs.makeEnv("Pendulum-v1")
        #expect(throws: TrainError.self) {
            try SoftActorCriticModel(
                recipe: .flattenConcat(), observationSpace: pendulum.observationSpace,
                actionSpace: pendulum.actionSpace, seed: 0)
        }
        #expect(throws: PerceptionError.self) {
            try ActorCriticModel(
                observationSpace: pendulum.observationSpace, actionSpace: pendulum.actionSpace,
                recipe: Self.stateAction, seed: 0)
        }
    }

    static func shortRun(env: String, seed: UInt64) throws -> (
        DevRunner<SoftActorCriticModel>, DevRunner<SoftActorCriticModel>.Summary, SoftActorCriticModel
    ) {
        var settings = SACSettings()
        settings.initialBufferSize = 200
        settings.batchSize = 32
        settings.common.epochLength = 50
        settings.common.nEpochs = 2
        settings.common.rolloutEvaluator.nEpisodes = 1
        var options = DevRunner<SoftActorCriticModel>.Options()
        options.seed = seed
        options.log = { _ in }
        let registries = Registries.withMazeEnvs
        let runner = try DevRunner.make(
            makeEnv: { try registries.makeEnv(env) }, settings: settings, recipe: Self.stateAction, options: options)
        let initial = runner.model
        let summary = try runner.train()
        return (runner, summary, initial)
    }

    @Test(arguments: ["Pendulum-v1", "CartPole-v1"])
    func shortRunFillsTheBufferThenTrainsCriticsTargetsAndTemperature(env: String) throws {
        let (runner, summary, initial) = try Self.shortRun(env: env, seed: 7)
        // 200 random steps, then 2 epochs × 50 one-step rollouts of one env.
        #expect(summary.envSteps == 300)
        #expect(summary.epochs == 2 && summary.bestReturn != nil)
        let model = runner.model
        for name in ["critic.q1.body.0.weight", "critic.q2.body.0.weight", "policy.0.body.0.weight"] {
            let before = try #require(initial.parameters[name])
            let after = try #require(model.parameters[name])
            #expect(before != after, "\(name) did not move")
            let finite = after.scalars.allSatisfy { $0.isFinite }
            #expect(finite)
        }
        // The targets trail the online critics: moved from their start, not equal to them.
        let target = try #require(model.targetParameters["critic.q1.body.0.weight"])
        #expect(target != initial.targetParameters["critic.q1.body.0.weight"])
        #expect(target != model.parameters["critic.q1.body.0.weight"])
        #expect(model.targetParameters.names.allSatisfy { $0.hasPrefix("critic.") })
    }

    @Test func temperatureFollowsTheEntropyGap() throws {
        var settings = SACSettings()
        settings.initialBufferSize = 64
        settings.batchSize = 64
        let sac = SoftActorCritic(settings)
        let pendulum = try Registries.withMazeEnvs.makeEnv("Pendulum-v1")
        var model = try SoftActorCriticModel(
            recipe: Self.stateAction, observationSpace: pendulum.observationSpace, actionSpace: pendulum.actionSpace,
            seed: 1)
        #expect(model.targetEntropy(multiplier: 1) == -1)
        let rollout = try Self.rollout(rows: 64)
        var random = MazeRandom(seed: 2)
        var optimizer = sac.makeOptimizer()
        var statistics = LearnerStatistics()
        try sac.update(
            rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: true, statistics: &statistics)
        // A fresh policy (std ≈ 1) has entropy far above H̄ = −1: J(α) lowers α.
        #expect(sac.alpha < 0.2)
        #expect(sac.replayCount == 64)
    }
}
