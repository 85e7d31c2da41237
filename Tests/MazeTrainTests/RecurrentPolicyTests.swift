import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import MazeTensor
import Testing

@testable import MazeTrain

/// Recurrent policies (a template model's `recurrence` block): the collector carries each env's state across
/// steps and rollouts, resets it where an episode ends and records the state a rollout starts from; training
/// recomputes the rollout's steps from those states and arrives at exactly what the acting policy computed.
@Suite struct RecurrentPolicyTests {
    /// Dense 16 then an LSTM of 8 units, for policy and critic.
    static func recipe(recurrent: Bool = true) throws -> ModelRecipe {
        let lstm = try PerceptionRegistry.standard().blocks.make(
            "LSTMLastStepBlock", config: ["hidden_size": .int(8), "num_layers": .int(1), "non_lin": .string("Tanh")])
        let trunk = TrunkRecipe(
            body: .dense(hiddenUnits: [16], nonLinearity: .tanh), recurrence: recurrent ? lstm : nil)
        return ModelRecipe(policyTrunks: [trunk], criticTrunks: [trunk])
    }

    /// A collector over `envCount` CartPoles without velocities, episodes of at most `episodeSteps`.
    static func collector(envCount: Int, steps: Int, episodeSteps: Int = 500) throws -> VectorRolloutCollector {
        let envs: [any StructuredEnv] = try (0..<envCount).map { _ in
            try CartPoleNoVelocityWrapper(
                Registries.withMazeEnvs.makeEnv("CartPole-v1", ["max_episode_steps": .int(episodeSteps)]))
        }
        var collector = try VectorRolloutCollector(env: SequentialVectorEnv(envs: envs), stepCount: steps)
        try collector.reset(seed: 7)
        return collector
    }

    static func model() throws -> ActorCriticModel {
        let env = try CartPoleNoVelocityWrapper(Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]))
        return try ActorCriticModel(
            observationSpace: env.observationSpace, actionSpace: env.actionSpace, recipe: recipe(), seed: 3)
    }

    @Test func stateIsPolicyAndCriticLSTMs() throws {
        let model = try Self.model()
        // h and c of one 8-unit layer, for the policy and for the critic.
        #expect(model.recurrentStateWidth == 2 * 8 * 2)
        #expect(model.parameters.names.contains("policy.0.recurrence.lstm.0.weight_hh"))
        #expect(model.parameters.names.contains("critic.0.recurrence.lstm.0.weight_hh"))
        let feedForward = try ActorCriticModel(
            observationSpace: try CartPoleNoVelocityWrapper(Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]))
                .observationSpace,
            actionSpace: DictSpace([("action", .discrete(2))]), recipe: Self.recipe(recurrent: false), seed: 3)
        #expect(feedForward.recurrentStateWidth == 0)
    }

    /// Two rollouts with episode ends inside them: the recomputed log-probabilities equal the behaviour ones,
    /// the second rollout starts from the carried (non-zero) states, and successor values continue the sequence.
    @Test func sequencesRecomputeWhatTheActorComputed() throws {
        let model = try Self.model()
        var collector = try Self.collector(envCount: 3, steps: 24, episodeSteps: 10)
        var random = MazeRandom(seed: 5)
        for rollout in 0..<2 {
            _ = try collector.collect(with: model, random: &random)
            let buffer = collector.buffer
            #expect(buffer.initialStates.count == 3 * model.recurrentStateWidth)
            if rollout == 0 {
                #expect(buffer.initialStates.allSatisfy { $0 == 0 })
            } else {
                #expect(buffer.initialStates.contains { $0 != 0 })
            }
            #expect(buffer.truncated.contains(true))
            let segment = try RecurrentSegment(buffer)
            let evaluation = try model.evaluateSequences(segment, parameters: Tape().bind(model.parameters))
            for (recomputed, acted) in zip(evaluation.logProbs.value.scalars, buffer.behaviourLogProbs) {
                #expect(abs(recomputed - acted) < 1e-4)
            }
            let (values, successors) = try model.sequenceValues(segment)
            for (value, taped) in zip(values, evaluation.values.value.scalars) { #expect(abs(value - taped) < 1e-5) }
            for row in 0..<(buffer.count - 3) where !(buffer.terminated[row] || buffer.truncated[row]) {
                #expect(abs(successors[row] - values[row + 3]) < 1e-4)
            }
        }
    }

    /// The shipped configs: `wrappers=cartpole_no_velocity` leaves two observations, `model=vector_obs_lstm` a
    /// recurrent policy and critic of 32 units.
    @Test func shippedConfigsBuildARecurrentModelForVelocityFreeCartPole() throws {
        let composed = try ComposedTrainingConfigTests.compose(
            ["env=cartpole", "wrappers=cartpole_no_velocity", "model=vector_obs_lstm", "critic=template_state"])
        let env = try EnvConfiguration(config: composed.root, registries: .withMazeEnvs).makeEnv()
        #expect(env.observationSpace.flatCount == 2)
        let model = try ActorCriticModel(
            config: composed.root.section("model"), observationSpaces: env.observationSpaces,
            actionSpaces: env.actionSpaces, seed: 1)
        #expect(model.recurrentStateWidth == 2 * 32 * 2)
    }

    /// A segment of some env columns is the same sequences, in the columns' order.
    @Test func segmentsOfEnvColumnsMatchTheWholeRollout() throws {
        let model = try Self.model()
        var collector = try Self.collector(envCount: 3, steps: 12, episodeSteps: 5)
        var random = MazeRandom(seed: 9)
        _ = try collector.collect(with: model, random: &random)
        _ = try collector.collect(with: model, random: &random)
        let buffer = collector.buffer
        let segment = try RecurrentSegment(buffer, envs: [2, 0])
        #expect(segment.rows.prefix(4) == [2, 0, 5, 3])
        let logProbs = try model.evaluateSequences(segment, parameters: Tape().bind(model.parameters)).logProbs
        for (index, row) in segment.rows.enumerated() {
            #expect(abs(logProbs.value.scalars[index] - buffer.behaviourLogProbs[row]) < 1e-4)
        }
    }

    /// One PPO update back-propagates through time: the recurrent weights move, and the update uses whole env
    /// sequences (a rollout without initial states is refused).
    @Test func ppoTrainsTheRecurrentWeights() throws {
        var model = try Self.model()
        var collector = try Self.collector(envCount: 4, steps: 16)
        var random = MazeRandom(seed: 1)
        _ = try collector.collect(with: model, random: &random)
        var settings = PPOSettings()
        settings.batchSize = 32
        settings.nOptimizationEpochs = 2
        let before = try #require(model.parameters["policy.0.recurrence.lstm.0.weight_hh"])
        var optimizer = PPO(settings).makeOptimizer()
        var statistics = LearnerStatistics()
        try PPO(settings).update(
            collector.buffer, model: &model, optimizer: &optimizer, random: &random, trainPolicy: true,
            statistics: &statistics)
        let after = try #require(model.parameters["policy.0.recurrence.lstm.0.weight_hh"])
        #expect(before.scalars != after.scalars)

        let stateless = try RolloutBuffer(stepCount: 4, envCount: 2, observationWidth: 2, actionWidth: 1)
        #expect(throws: TrainError.self) {
            try PPO(settings).update(
                stateless, model: &model, optimizer: &optimizer, random: &random, trainPolicy: true,
                statistics: &statistics)
        }
    }

    /// A2C and IMPALA train the same sequences.
    @Test func a2cAndImpalaTrainTheRecurrentWeights() throws {
        for algorithm in [A2C() as any ActorCriticAlgorithm, IMPALA()] {
            var model = try Self.model()
            var collector = try Self.collector(envCount: 2, steps: 16, episodeSteps: 6)
            var random = MazeRandom(seed: 2)
            _ = try collector.collect(with: model, random: &random)
            let before = try #require(model.parameters["critic.0.recurrence.lstm.0.weight_ih"])
            var optimizer = algorithm.makeOptimizer()
            var statistics = LearnerStatistics()
            try algorithm.update(
                collector.buffer, model: &model, optimizer: &optimizer, random: &random, trainPolicy: true,
                statistics: &statistics)
            #expect(try #require(model.parameters["critic.0.recurrence.lstm.0.weight_ih"]).scalars != before.scalars)
        }
    }

    /// The evaluator's env batch carries the state too, and starts every episode from zeros: two evaluations of
    /// the same model score the same.
    @Test func evaluationCarriesAndResetsTheState() throws {
        let model = try Self.model()
        let env = LogStatsWrapper(
            try CartPoleNoVelocityWrapper(Registries.withMazeEnvs.makeEnv("CartPole-v1", [:])), loggingPrefix: "eval")
        var settings = EvaluatorSettings()
        settings.nEpisodes = 2
        let evaluator = try RolloutEvaluator(envs: [env], settings: settings, seed: 4)
        let first = try evaluator.evaluate(model).meanReturn
        #expect(first > 0)
        #expect(try evaluator.evaluate(model).meanReturn == first)
    }
}
