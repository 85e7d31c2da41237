import MazeConfig
import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

/// The actors' no-tape path and the learner's tape path compute the same numbers.
@Suite struct InferencePathTests {
    @Test(arguments: ModelBuildingTests.environments, TestSpaces.modelChoices)
    func inferencePathEqualsTapePath(environment: String, overrides: [String]) throws {
        let spaces = try TestSpaces.environment(environment)
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(overrides), observationSpaces: spaces.observations, actionSpaces: spaces.actions,
            seed: 4)
        var random = MazeRandom(seed: 8)
        for step in model.stepKeys {
            let observations = try ModelBuildingTests.observations(
                try #require(spaces.observations[step]), rows: 5, random: &random)
            let acted = try model.act(step: step, observations: observations, deterministic: false, random: &random)
            let tape = Tape()
            let evaluation = try model.evaluate(
                step: step, observations: observations, actions: acted.actions, parameters: tape.bind(model.parameters))
            #expect(isClose(evaluation.logProbs.value.scalars, acted.logProbs.map(Double.init)))
            #expect(isClose(evaluation.values.value.scalars, acted.values.map(Double.init)))
            #expect(isClose(evaluation.logits.value.scalars, acted.logits.scalars.map(Double.init)))
        }
    }

    /// The tape-free path of unmasked categorical heads takes the same random draws and gives the same bits as the
    /// distributions, for one head and for two.
    @Test(arguments: [false, true])
    func tapeFreeCategoricalDecisionsEqualTheDistributions(deterministic: Bool) throws {
        for (policy, observations, logits) in try Self.categoricalPolicies() {
            var (tapeFree, reference) = (MazeRandom(seed: 5), MazeRandom(seed: 5))
            let decided = try policy.decide(
                logits: logits, observations: observations, deterministic: deterministic, random: &tapeFree)
            let distribution = try policy.distribution(logits: Tape().constant(logits), observations: observations)
            let expected = deterministic ? try distribution.mode() : try distribution.sample(using: &reference)
            #expect(decided.actions == expected)
            #expect(decided.logProbs == (try distribution.logProb(expected).value.scalars))
            let (nextTapeFree, nextReference) = (tapeFree.next(), reference.next())
            #expect(nextTapeFree == nextReference)
        }
    }

    /// The distribution-free training path of unmasked categorical heads gives the same log-probabilities,
    /// entropies and logit gradients, bit for bit, as the distributions, for one head and for two.
    @Test func categoricalLogProbsAndEntropiesEqualTheDistributions() throws {
        for (policy, observations, logits) in try Self.categoricalPolicies() {
            var random = MazeRandom(seed: 9)
            let actions = try policy.decide(
                logits: logits, observations: observations, deterministic: false, random: &random
            ).actions
            func evaluate(_ path: (Variable) throws -> (logProbs: Variable, entropies: Variable)) throws
                -> [[Float]]
            {
                let tape = Tape()
                let input = tape.parameter(logits)
                let (logProbs, entropies) = try path(input)
                try tape.backward(from: try (logProbs * logProbs).sum() + entropies.sum())
                return [logProbs.value.scalars, entropies.value.scalars, try tape.gradient(of: input)?.scalars ?? []]
            }
            let direct = try evaluate {
                try policy.logProbsAndEntropies(logits: $0, observations: observations, actions: actions)
            }
            let throughDistribution = try evaluate {
                let distribution = try policy.distribution(logits: $0, observations: observations)
                return (try distribution.logProb(actions), try distribution.entropy())
            }
            #expect(direct == throughDistribution)
            #expect(throws: (any Error).self) {
                try policy.logProbsAndEntropies(
                    logits: Tape().constant(logits), observations: observations, actions: Tensor([0]))
            }
        }
    }

    /// CartPole's policy (one Discrete head) and one with two Discrete heads, each with 16 random observations and
    /// their logits.
    private static func categoricalPolicies() throws -> [(PolicyNetwork, Tensor, Tensor)] {
        let cartPole = try TestSpaces.cartPole()
        let twoHeads: [StepKey: DictSpace] = [0: ["move": .discrete(3), "turn": .discrete(2)]]
        return try [cartPole.actions, twoHeads].map { actionSpaces in
            let model = try ActorCriticModel(
                recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: cartPole.observations,
                actionSpaces: actionSpaces, seed: 4)
            let policy = try model.policy()
            var random = MazeRandom(seed: 9)
            let observations = try ModelBuildingTests.observations(
                try #require(cartPole.observations[0]), rows: 16, random: &random)
            return (policy, observations, try policy.network(observations, model.parameters))
        }
    }

    @Test func deterministicActionsAreTheModes() throws {
        let spaces = try TestSpaces.pendulum()
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 4)
        var random = MazeRandom(seed: 1)
        let observations = try ModelBuildingTests.observations(
            try #require(spaces.observations[0]), rows: 4, random: &random)
        let first = try model.act(observations: observations, deterministic: true, random: &random)
        let second = try model.act(observations: observations, deterministic: true, random: &random)
        #expect(first.actions == second.actions)
        // Logits are [mean, log std] per row; the mode of a diagonal Gaussian is its mean.
        let means = stride(from: 0, to: first.logits.scalarCount, by: 2).map { first.logits.scalars[$0] }
        #expect(first.actions.scalars == means)
    }

    @Test func maskedStructuredPolicyOnlyChoosesAllowedPieces() throws {
        let spaces = try TestSpaces.maskedCutting2D(pieces: 5)
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 4)
        let space = try #require(spaces.observations[0])
        var observation = space.zeroValue
        observation["inventory_mask"] = NDArray(floats: [0, 0, 1, 0, 1])
        let row = try space.flatten(observation)
        let observations = try Tensor(shape: [64, row.count], scalars: Array((0..<64).map { _ in row }.joined()))
        var random = MazeRandom(seed: 3)
        let output = try model.act(step: 0, observations: observations, deterministic: false, random: &random)
        #expect(Set(output.actions.scalars) == [2, 4])
    }

    @Test func sharedCriticHasOneParameterSetForAllSubSteps() throws {
        let spaces = try TestSpaces.maskedCutting2D()
        let recipe = try TestSpaces.recipe([
            "model=vector_obs", "critic=template_state", "model.critic._target_=SharedStateCriticComposer",
        ])
        #expect(recipe.criticSharing == .shared)
        let model = try ActorCriticModel(
            recipe: recipe, observationSpaces: spaces.observations, actionSpaces: spaces.actions, seed: 1)
        let criticNames = model.parameters.names.filter(model.isCriticParameter)
        #expect(criticNames.allSatisfy { $0.hasPrefix("critic.shared.") })
        // The union of both sub-steps' observations: inventory, inventory_size, ordered_piece, selected_piece.
        #expect(criticNames.filter { $0.hasSuffix(".0.weight") }.count == 4)
        var random = MazeRandom(seed: 2)
        for step in model.stepKeys {
            let observations = try ModelBuildingTests.observations(
                try #require(spaces.observations[step]), rows: 2, random: &random)
            #expect(try model.values(step: step, observations: observations).count == 2)
        }
    }

    @Test func batchOfTheWrongWidthIsAnError() throws {
        let spaces = try TestSpaces.cartPole()
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 1)
        var random = MazeRandom(seed: 1)
        #expect(throws: PerceptionError.self) {
            try model.act(
                observations: Tensor(shape: [2, 3], scalars: [0, 0, 0, 0, 0, 0]), deterministic: true, random: &random)
        }
    }
}
