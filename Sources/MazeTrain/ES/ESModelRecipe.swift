import MazeConfig
import MazePerception

extension PerceptionRegistry {
    /// The recipe of a `model` section for Evolution Strategies, which trains a policy only: `model.critic` must be
    /// null (a critic setting would be ignored, so it is refused by name). The model is built with a state critic of
    /// the policy's architecture all the same, so that ES checkpoints have the layout of the actor-critic models
    /// (`input_dir` can continue an ES run with PPO); ES neither perturbs nor trains it.
    package func policyRecipe(model: ConfigSection) throws -> ModelRecipe {
        if let critic = model.nonNull("critic") {
            throw critic.invalid("ES trains a policy only and would ignore a critic: leave critic unset (critic=~)")
        }
        var critic: ConfigNode = ["_target_": "StateCriticComposer"]
        if let networks = model.nonNull("policy")?.nonNull("networks") {
            critic = ["_target_": "StateCriticComposer", "networks": networks.node]
        }
        guard let node = model.node.setting(critic, at: ["critic"]) else {
            throw model.invalid("expected a map with the model's settings")
        }
        return try recipe(model: ConfigSection(path: model.path, node: node))
    }
}
