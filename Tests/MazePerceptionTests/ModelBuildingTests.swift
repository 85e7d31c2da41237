import MazeConfig
import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

@Suite struct ModelBuildingTests {
    static let environments = ["CartPole", "Pendulum", "Cutting2D"]

    /// `[rows, width]` observations with values in [0, 1), masks (every other entry) allowing entries.
    static func observations(_ space: DictSpace, rows: Int, random: inout MazeRandom) throws -> Tensor {
        var scalars: [Float] = []
        for _ in 0..<rows {
            var row = try space.flatten(space.sample(using: &random))
            for (key, range) in zip(
                space.keys, zip(space.flatOffsets, space.spaces.map(\.elementCount)).map { $0..<($0 + $1) })
            where key.hasSuffix("_mask") {
                for column in range { row[column] = column == range.lowerBound || random.nextUnit() < 0.5 ? 1 : 0 }
            }
            scalars += row.map { Float(min(max($0, -3), 3)) }
        }
        return try Tensor(shape: [rows, space.flatCount], scalars: scalars)
    }

    @Test(arguments: environments, TestSpaces.modelChoices)
    func buildsFromEveryShippedModelConfig(environment: String, overrides: [String]) throws {
        let spaces = try TestSpaces.environment(environment)
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(overrides), observationSpaces: spaces.observations, actionSpaces: spaces.actions,
            seed: 1)
        #expect(model.stepKeys == spaces.observations.keys.sorted())
        var random = MazeRandom(seed: 2)
        for step in model.stepKeys {
            let actionSpace = try #require(spaces.actions[step])
            for key in actionSpace.keys {
                #expect(model.parameters["policy.\(step).\(key).weight"] != nil)
            }
            #expect(model.parameters["critic.\(step).value.weight"]?.shape.first == 1)
            let observations = try Self.observations(try #require(spaces.observations[step]), rows: 3, random: &random)
            let output = try model.act(step: step, observations: observations, deterministic: false, random: &random)
            #expect(output.actions.shape == [3, actionSpace.flatCount])
            #expect(output.logProbs.count == 3 && output.logProbs.allSatisfy { $0.isFinite })
            #expect(output.values.count == 3 && output.values.allSatisfy { $0.isFinite })
            // Discrete actions must lie in their space (Gaussian Box actions are clipped by the env).
            guard environment != "Pendulum" else { continue }
            let width = actionSpace.flatCount
            for row in 0..<3 {
                let action = Array(output.actions.scalars[(row * width)..<((row + 1) * width)]).withUnsafeBufferPointer
                { actionSpace.unflatten($0) }
                #expect(actionSpace.contains(action))
            }
        }
    }

    @Test func templateModelParameterNamesAreStable() throws {
        let spaces = try TestSpaces.cartPole()
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 1)
        let layers = ["observation.0", "observation.1"]
        let expected = ["policy", "critic"].flatMap { role in
            (layers + [role == "policy" ? "action" : "value"]).flatMap {
                ["\(role).0.\($0).bias", "\(role).0.\($0).weight"]
            }
        }
        #expect(model.parameters.names == expected.sorted())
        #expect(model.parameters["policy.0.observation.0.weight"]?.shape == [32, 4])
        #expect(model.parameters["policy.0.action.weight"]?.shape == [2, 32])
    }

    @Test func flattenConcatParameterNamesAreStable() throws {
        let spaces = try TestSpaces.pendulum()
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[1]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 1)
        let expected = ["policy", "critic"].flatMap { role in
            ["body.0", "body.1", role == "policy" ? "action" : "value"].flatMap {
                ["\(role).0.\($0).bias", "\(role).0.\($0).weight"]
            }
        }
        #expect(model.parameters.names == expected.sorted())
        // A Box(1) action under the default diagonal Gaussian: mean and log std.
        #expect(model.parameters["policy.0.action.weight"]?.shape == [2, 16])
    }

    @Test func structuredModelHasOnePolicyAndCriticPerSubStep() throws {
        let spaces = try TestSpaces.maskedCutting2D()
        let model = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 1)
        let policy0 = try model.policy(step: 0)
        let policy1 = try model.policy(step: 1)
        #expect(policy0.heads.map(\.key) == ["piece_idx"])
        #expect(policy1.heads.map(\.key) == ["cut_rotation", "cut_order"])
        #expect(policy0.masks.map(\.observationKey) == ["inventory_mask"])
        #expect(policy1.masks.map(\.actionKey) == ["cut_rotation"])
        // Masks are consumed by the masking, not fed to the networks.
        #expect(model.parameters["policy.0.inventory_mask.0.weight"] == nil)
        #expect(model.parameters["policy.0.inventory.0.weight"]?.shape == [32, 10])
        #expect(model.parameters["critic.1.selected_piece.0.weight"] != nil)
        #expect(throws: PerceptionError.self) { try model.policy() }
    }

    @Test func sameSeedGivesSameParameters() throws {
        let spaces = try TestSpaces.cartPole()
        let recipe = try TestSpaces.recipe(TestSpaces.modelChoices[0])
        let first = try ActorCriticModel(
            recipe: recipe, observationSpaces: spaces.observations, actionSpaces: spaces.actions, seed: 9)
        let second = try ActorCriticModel(
            recipe: recipe, observationSpaces: spaces.observations, actionSpaces: spaces.actions, seed: 9)
        let third = try ActorCriticModel(
            recipe: recipe, observationSpaces: spaces.observations, actionSpaces: spaces.actions, seed: 10)
        #expect(first.parameters == second.parameters)
        #expect(first.parameters != third.parameters)
    }

    @Test func buildsDirectlyFromAConfigSectionAndFromSpaces() throws {
        let spaces = try TestSpaces.cartPole()
        let fromConfig = try ActorCriticModel(
            config: TestSpaces.modelConfig(TestSpaces.modelChoices[0]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 5)
        let fromRecipe = try ActorCriticModel(
            recipe: TestSpaces.recipe(TestSpaces.modelChoices[0]), observationSpaces: spaces.observations,
            actionSpaces: spaces.actions, seed: 5)
        #expect(fromConfig.parameters == fromRecipe.parameters)
        let fromSpaces = try ActorCriticModel(
            observationSpace: try #require(spaces.observations[0]), actionSpace: try #require(spaces.actions[0]),
            recipe: .flattenConcat(hiddenUnits: [8], nonLinearity: .relu), seed: 5)
        #expect(fromSpaces.parameters["policy.0.body.0.weight"]?.shape == [8, 4])
    }

    @Test func nullCriticIsAClearError() throws {
        let config = try TestSpaces.modelConfig(["model=vector_obs"])
        #expect(throws: PerceptionError.self) { try PerceptionRegistry.standard().recipe(model: config) }
    }
}
