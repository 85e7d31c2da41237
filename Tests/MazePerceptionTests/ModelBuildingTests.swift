import MazeConfig
import MazeCore
import MazePerception
import MazeTensor
import Testing

@Suite struct ModelBuildingTests {
    static let modelChoices = [["model=vector_obs", "critic=template_state"], ["model=flatten_concat"]]

    @Test(arguments: modelChoices)
    func buildsForCartPole(overrides: [String]) throws {
        let spaces = try TestSpaces.cartPole()
        let recipe = try PerceptionRegistry.standard().recipe(model: TestSpaces.modelConfig(overrides))
        let model = try ActorCriticModel(recipe: recipe, observationSpaces: spaces.observations, actionSpaces: spaces.actions, seed: 1)
        #expect(model.stepKeys == [0])
        #expect(model.parameters.names.contains("policy.0.action.weight"))
        #expect(model.parameters.names.contains("critic.0.value.weight"))
        var random = MazeRandom(seed: 3)
        let observations = try Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) / 10 })
        let output = try model.act(observations: observations, deterministic: false, random: &random)
        #expect(output.actions.shape == [3, 1])
        #expect(output.logits.shape == [3, 2])
        #expect(output.values.count == 3)
        #expect(output.actions.scalars.allSatisfy { $0 == 0 || $0 == 1 })
    }
}
