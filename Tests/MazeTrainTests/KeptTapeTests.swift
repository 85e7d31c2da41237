import MazeCore
import MazeEnvs
import MazePerception
import MazeTensor
import Testing

@testable import MazeTrain

/// A session keeps one tape across updates: once an update has run, the next one on a rollout of the same shape
/// finds every buffer it needs in the tape's pool (the bootstrap values' pass, each minibatch's forward and backward
/// pass, the gradients) and allocates no tensor storage; nor does its undo point, so the parameters and Adam's
/// moments are written where they are. The tape's own node storage does not grow either (the passes record fixed
/// records into arrays it keeps; MazeTensorTests' SteadyStateAllocationTests count a pass's heap allocations).
@Suite struct KeptTapeTests {
    @Test(arguments: ["PPO", "A2C", "IMPALA"])
    func aSecondUpdateAllocatesNoTensorBuffers(_ name: String) throws {
        let session = try Self.session(Self.algorithm(name))
        let rollout = try Self.rollout(for: session.model)
        try session.update(rollout)
        let afterFirst = session.tape.allocatedBufferCount
        let nodeCapacity = session.tape.nodeCapacity
        #expect(afterFirst > 0)
        #expect(nodeCapacity > 0)
        let (weights, storage) = (session.model.parameters.flattened(), try Self.storage(of: session))
        try session.update(rollout)
        #expect(session.model.parameters.flattened() != weights, "the second update trains")
        #expect(session.tape.allocatedBufferCount == afterFirst)
        #expect(session.tape.nodeCapacity == nodeCapacity)
        #expect(try Self.storage(of: session) == storage)
    }

    /// The addresses of the session's parameters and Adam moments (read without keeping a copy that shares them).
    private static func storage(of session: TrainingSession<ActorCriticModel>) throws -> [UnsafeRawPointer?] {
        try InPlaceUpdateTests.storage(session.model.parameters, session.optimizer)
    }

    private static func algorithm(_ name: String) -> any ActorCriticAlgorithm {
        switch name {
        case "PPO":
            var settings = PPOSettings()
            settings.batchSize = 24  // 64 rows: minibatches of 24, 24 and 16
            settings.nOptimizationEpochs = 2
            return PPO(settings)
        case "A2C": return A2C()
        default: return IMPALA()
        }
    }

    private static func session(_ algorithm: any ActorCriticAlgorithm) throws -> TrainingSession<ActorCriticModel> {
        let evaluator = try RolloutEvaluator(
            envs: [try Registries.withMazeEnvs.makeEnv("CartPole-v1", [:])],
            settings: algorithm.common.rolloutEvaluator, seed: 3)
        let model = try ActorCriticModel(
            recipe: .flattenConcat(hiddenUnits: [16, 16]), env: evaluator.envs[0], seed: 3)
        var options = TrainingSession<ActorCriticModel>.Options()
        options.log = { _ in }
        return TrainingSession(algorithm: algorithm, model: model, evaluator: evaluator, options: options)
    }

    /// 16 steps of 4 CartPole envs acted by `model`.
    private static func rollout(for model: ActorCriticModel) throws -> RolloutBuffer {
        let envs = try (0..<4).map { _ in try Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]) }
        var collector = try VectorRolloutCollector(env: SequentialVectorEnv(envs: envs), stepCount: 16)
        try collector.reset(seed: 3)
        var random = MazeRandom(seed: 3)
        _ = try collector.collect(with: model, random: &random)
        return collector.buffer
    }
}
