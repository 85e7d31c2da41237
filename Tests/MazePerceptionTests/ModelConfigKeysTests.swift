import MazeConfig
import MazePerception
import Testing

/// No key of a `model` section is silently ignored: every level (composer, model builder, modality, policy and
/// critic composers, networks, distribution mapping) refuses a key it does not read, naming its path and the nearest
/// known key.
@Suite struct ModelConfigKeysTests {
    /// The message of the error that building the recipe of the shipped `model` composed with `overrides` throws.
    private func refusal(_ overrides: [String]) throws -> String {
        let config = try TestSpaces.modelConfig(overrides)
        do {
            _ = try PerceptionRegistry.standard().recipe(model: config)
        } catch {
            return "\(error)"
        }
        Issue.record("\(overrides) was accepted")
        return ""
    }

    @Test(arguments: [
        (["model=vector_obs", "critic=template_state", "+model.Details=1"], "model.Details: unknown key"),
        (
            ["model=vector_obs", "critic=template_state", "+model.model_builder.shared_embeding_keys=[]"],
            "Did you mean model.model_builder.shared_embedding_keys?"
        ),
        (
            [
                "model=vector_obs", "critic=template_state",
                "+model.model_builder.modality_config.feature.block_param={}",
            ],
            "Did you mean model.model_builder.modality_config.feature.block_params?"
        ),
        (
            ["model=vector_obs", "critic=template_state", "+model.policy.networks=[]"],
            "model.policy.networks: unknown key"
        ),
        (
            ["model=vector_obs", "critic=template_state", "+model.critic.network=[]"],
            "model.critic.network: unknown key"
        ),
        (
            ["model=flatten_concat", "+model.policy.networks.0.hidden_unit=[8]"],
            "Did you mean model.policy.networks.0.hidden_units?"
        ),
        (["model=flatten_concat", "+model.critic.netwrks=[]"], "Did you mean model.critic.networks?"),
        (["model=flatten_concat", "+model.model_builder={}"], "model.model_builder: unknown key"),
        (
            [
                "model=flatten_concat",
                "model.distribution_mapper_config=[{action_space: gym.spaces.Box, distribution: BetaProbabilityDistribution, args: {}}]",
            ],
            "model.distribution_mapper_config.0.args: unknown key"
        ),
    ])
    func aKeyNoComponentReadsIsRefusedByPath(overrides: [String], expected: String) throws {
        let message = try refusal(overrides)
        #expect(message.contains(expected), "\(message)")
    }

    @Test func aDistributionRuleNamesEitherASpaceOrAHead() throws {
        let message = try refusal([
            "model=flatten_concat",
            "model.distribution_mapper_config=[{action_space: gym.spaces.Box, action_head: action, distribution: BetaProbabilityDistribution}]",
        ])
        #expect(message.contains("either action_space or action_head"), "\(message)")
    }

    @Test func separateNetworksPerAgentAreRefusedAndTheEmptyListIsAccepted() throws {
        let message = try refusal(["model=flatten_concat", "model.policy.substeps_with_separate_agent_nets=[0]"])
        #expect(message.contains("model.policy.substeps_with_separate_agent_nets"), "\(message)")
        _ = try PerceptionRegistry.standard().recipe(model: TestSpaces.modelConfig(["model=flatten_concat"]))
    }

    @Test func defaultModelComposerIsTheTemplateComposer() throws {
        let template = try TestSpaces.modelConfig(["model=vector_obs", "critic=template_state"])
        let aliased = try TestSpaces.modelConfig([
            "model=vector_obs", "critic=template_state",
            "model._target_=maze.perception.models.default_model_composer.DefaultModelComposer",
        ])
        let registry = try PerceptionRegistry.standard()
        #expect(try registry.recipe(model: aliased) == registry.recipe(model: template))
    }
}
