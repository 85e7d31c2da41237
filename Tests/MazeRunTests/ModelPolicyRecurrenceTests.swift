import MazeCore
import MazeEnvs
import MazePerception
import Testing

@testable import MazeRun

/// A trained recurrent model rolls out as a ``ModelPolicy``: its state is carried through an episode and starts
/// afresh with the next one, so an episode replayed from the same seed takes the same actions.
@Suite struct ModelPolicyRecurrenceTests {
    @Test func recurrentPolicyCarriesItsStateThroughEpisodes() throws {
        let env = try CartPoleNoVelocityWrapper(Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]))
        let lstm = try PerceptionRegistry.standard().blocks.make(
            "LSTMLastStepBlock", config: ["hidden_size": .int(8), "non_lin": .string("Tanh")])
        let trunk = TrunkRecipe(body: .dense(hiddenUnits: [8], nonLinearity: .tanh), recurrence: lstm)
        let model = try ActorCriticModel(
            observationSpace: env.observationSpace, actionSpace: env.actionSpace,
            recipe: ModelRecipe(policyTrunks: [trunk], criticTrunks: [trunk]), seed: 2)
        let policy = ModelPolicy(model: model, for: env, seed: 1)
        func episode() throws -> [Float] {
            env.seed(3)
            policy.reset()
            policy.seed(1)
            var observation = try env.reset()
            var actions: [Float] = []
            for _ in 0..<40 {
                let action = try policy.computeAction(
                    observation: observation, actorID: env.actorID, deterministic: false, env: env)
                actions += try action.require("action").floats
                let result = try env.step(action)
                if result.done { break }
                observation = result.observation
            }
            return actions
        }
        let first = try episode()
        #expect(!first.isEmpty)
        #expect(try episode() == first)
    }
}
