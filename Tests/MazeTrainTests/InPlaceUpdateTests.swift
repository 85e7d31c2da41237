import MazeCore
import MazePerception
import MazeTensor
import Testing

@testable import MazeTrain

/// A training step writes the parameters and Adam's moments where they are: a copy-on-write copy would have been
/// allocated while the old buffer was still alive, so its address would differ.
@Suite struct InPlaceUpdateTests {
    @Test func ppoUpdatesParametersAndMomentsWithoutCopies() throws {
        let (initialModel, rollout) = try Self.cartPoleModelAndRollout(hiddenUnits: [16])
        var model = initialModel
        var settings = PPOSettings()
        settings.batchSize = 16
        let ppo = PPO(settings)
        var optimizer = ppo.makeOptimizer()
        var random = MazeRandom(seed: 2)
        var statistics = LearnerStatistics()
        try ppo.update(
            rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: true, statistics: &statistics)
        let before = try Self.storage(model.parameters, optimizer)
        let weights = model.parameters.flattened()
        try ppo.update(
            rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: true, statistics: &statistics)
        #expect(model.parameters.flattened() != weights)
        #expect(try Self.storage(model.parameters, optimizer) == before)
    }

    /// A CartPole MLP (`hiddenUnits`) and one synthetic 32-step episode of a single env for it to train on.
    static func cartPoleModelAndRollout(hiddenUnits: [Int]) throws -> (ActorCriticModel, RolloutBuffer) {
        let cartPole = try Registries.withMazeEnvs.makeEnv("CartPole-v1")
        let model = try ActorCriticModel(
            observationSpace: cartPole.observationSpace, actionSpace: cartPole.actionSpace,
            recipe: .flattenConcat(hiddenUnits: hiddenUnits), seed: 1)
        var rollout = try RolloutBuffer(stepCount: 32, envCount: 1, observationWidth: 4, actionWidth: 1)
        for step in 0..<32 {
            let x = Float(step) / 32
            rollout.recordDecision(
                step: step, observations: [x, -x, x / 2, 1 - x], actions: [Float(step % 2)], logProbs: [-0.7])
            rollout.recordOutcome(
                step: step, rewards: [1], terminated: [step == 31], truncated: [false], successors: [x, x, x, x])
        }
        return (model, rollout)
    }

    /// The address of every parameter's and every Adam moment's scalars.
    static func storage(_ parameters: ParameterStore, _ optimizer: Adam) throws -> [UnsafeRawPointer?] {
        let stores = [parameters] + optimizer.state.slots.keys.sorted().compactMap { optimizer.state.slots[$0] }
        #expect(stores.count == 3)
        return try stores.flatMap { store in
            try store.names.map { name in
                try store.tensor(named: name).withUnsafeScalars { UnsafeRawPointer($0.baseAddress) }
            }
        }
    }
}
