import MazeCore
import MazePerception
import MazeTensor
import Testing

/// What the trainers rely on: gradients reach every parameter through a caller-owned tape, and
/// parameters move between models (and through safetensors) by name.
@Suite struct TrainingSurfaceTests {
    @Test(arguments: ModelBuildingTests.environments)
    func everyParameterReceivesAGradient(environment: String) throws {
        let spaces = try TestSpaces.environment(environment)
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 2)
        let tape = Tape()
        let bound = tape.bind(model.parameters)
        var random = MazeRandom(seed: 5)
        var loss: Variable?
        for step in model.stepKeys {
            let observations = try ModelBuildingTests.observations(
                try #require(spaces.observations[step]), rows: 6, random: &random)
            let actions = try model.act(step: step, observations: observations, deterministic: false, random: &random)
                .actions
            let evaluation = try model.evaluate(
                step: step, observations: observations, actions: actions, parameters: bound)
            let term =
                try evaluation.logProbs.mean().negated() - evaluation.entropies.mean()
                + (evaluation.values - 1).squared().mean()
            loss = try loss.map { try $0 + term } ?? term
        }
        try tape.backward(from: try #require(loss))
        let gradients = try bound.gradients()
        for name in model.parameters.names where name.hasSuffix(".weight") {
            let gradient = try #require(gradients[name])
            #expect(gradient.scalars.contains { $0 != 0 }, "\(name) received no gradient")
            #expect(gradient.scalars.allSatisfy { $0.isFinite }, "\(name) has a non-finite gradient")
        }
    }

    @Test func parametersMoveBetweenModelsByNameThroughSafetensors() throws {
        let spaces = try TestSpaces.maskedCutting2D()
        let recipe = try TestSpaces.recipe(TestSpaces.modelChoices[0])
        let trained = try ActorCriticModel(
            recipe: recipe, observationSpaces: spaces.observations, actionSpaces: spaces.actions, seed: 1)
        var restored = try ActorCriticModel(
            recipe: recipe, observationSpaces: spaces.observations, actionSpaces: spaces.actions, seed: 2)
        #expect(restored.parameters != trained.parameters)
        restored.parameters = try SafetensorsArchive(data: SafetensorsArchive(tensors: trained.parameters).encoded())
            .tensors
        var random = MazeRandom(seed: 1)
        for step in trained.stepKeys {
            let observations = try ModelBuildingTests.observations(
                try #require(spaces.observations[step]), rows: 4, random: &random)
            var first = MazeRandom(seed: 9)
            var second = MazeRandom(seed: 9)
            let expected = try trained.act(step: step, observations: observations, deterministic: false, random: &first)
            let actual = try restored.act(step: step, observations: observations, deterministic: false, random: &second)
            #expect(
                actual.actions == expected.actions && actual.logProbs == expected.logProbs
                    && actual.values == expected.values)
        }
    }
}
