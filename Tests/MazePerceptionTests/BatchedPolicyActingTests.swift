import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

/// ``BatchedPolicyActing`` decides as ``ActorCriticModel/decide(step:observations:deterministic:random:)`` does —
/// the same actions, log-probabilities and logits, from the same random draws — and covers only what it can.
@Suite struct BatchedPolicyActingTests {
    /// CartPole's observations with one Discrete head, and with two (joint log-probabilities).
    private static let actionSpaces: [[StepKey: DictSpace]] = [
        [0: ["action": .discrete(2)]], [0: ["move": .discrete(3), "turn": .discrete(2)]],
    ]

    @Test(arguments: TestSpaces.modelChoices, [false, true])
    func decidesAsTheModel(overrides: [String], deterministic: Bool) throws {
        let cartPole = try TestSpaces.cartPole()
        for actionSpaces in Self.actionSpaces {
            let model = try ActorCriticModel(
                recipe: TestSpaces.recipe(overrides), observationSpaces: cartPole.observations,
                actionSpaces: actionSpaces, seed: 4)
            let rows = 16
            let acting = try #require(BatchedPolicyActing(policy: model.policy(), rows: rows))
            var (batched, reference) = (MazeRandom(seed: 5), MazeRandom(seed: 5))
            var draws = MazeRandom(seed: 9)
            for _ in 0..<3 {
                let observations = try ModelBuildingTests.observations(
                    try #require(cartPole.observations[0]), rows: rows, random: &draws)
                let expected = try model.decide(
                    observations: observations, deterministic: deterministic, random: &reference)
                let (actions, logProbs, logits) = try Self.decide(
                    acting, observations, model: model, deterministic: deterministic, random: &batched)
                #expect(actions == expected.actions.scalars)
                #expect(logProbs == expected.logProbs)
                #expect(logits == expected.logits.scalars)
            }
            #expect(batched.next() == reference.next())
        }
    }

    /// `acting`'s decision for `observations` in buffers of the model's widths for the observations' rows.
    @discardableResult
    private static func decide(
        _ acting: BatchedPolicyActing, _ observations: Tensor, model: ActorCriticModel, deterministic: Bool,
        random: inout MazeRandom
    ) throws -> (actions: [Float], logProbs: [Float], logits: [Float]) {
        let (policy, rows) = (try model.policy(), observations.shape[0])
        var actions = [Float](repeating: -1, count: rows * policy.actionWidth)
        var logProbs = [Float](repeating: 0, count: rows)
        var logits = [Float](repeating: 0, count: rows * policy.logitsWidth)
        try observations.withUnsafeScalars { observations in
            try actions.withUnsafeMutableBufferPointer { actions in
                try logProbs.withUnsafeMutableBufferPointer { logProbs in
                    try logits.withUnsafeMutableBufferPointer { logits in
                        try acting.decide(
                            observations: observations, parameters: model.parameters, deterministic: deterministic,
                            random: &random, actions: actions, logProbs: logProbs, logits: logits)
                    }
                }
            }
        }
        return (actions, logProbs, logits)
    }

    @Test func coversOnlyFeedForwardPoliciesWithUnmaskedCategoricalHeads() throws {
        let cartPole = try TestSpaces.cartPole()
        let recipe = try TestSpaces.recipe(TestSpaces.modelChoices[0])
        let model = try ActorCriticModel(
            recipe: recipe, observationSpaces: cartPole.observations, actionSpaces: cartPole.actions, seed: 4)
        #expect(BatchedPolicyActing(policy: try model.policy(), rows: 4)?.rows == 4)
        #expect(BatchedPolicyActing(policy: try model.policy(), rows: 0) == nil)
        let pendulum = try TestSpaces.pendulum()
        let gaussian = try ActorCriticModel(
            recipe: recipe, observationSpaces: pendulum.observations, actionSpaces: pendulum.actions, seed: 4)
        #expect(BatchedPolicyActing(policy: try gaussian.policy(), rows: 4) == nil)
        let masked = try TestSpaces.maskedCutting2D()
        let structured = try ActorCriticModel(
            recipe: recipe, observationSpaces: masked.observations, actionSpaces: masked.actions, seed: 4)
        #expect(BatchedPolicyActing(policy: try structured.policy(step: 0), rows: 4) == nil)
    }

    @Test func refusesBuffersOfAnotherSize() throws {
        let cartPole = try TestSpaces.cartPole()
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: cartPole.observations,
            actionSpaces: cartPole.actions, seed: 4)
        let acting = try #require(BatchedPolicyActing(policy: model.policy(), rows: 2))
        var random = MazeRandom(seed: 1)
        let threeRows = try Tensor(shape: [3, 4], scalars: [Float](repeating: 0, count: 12))
        #expect(throws: PerceptionError.self) {
            try Self.decide(acting, threeRows, model: model, deterministic: false, random: &random)
        }
    }
}
