import MazeConfig
import MazeCore
import MazePerception

/// The spaces of the environments the model tests build for, written out so this test target does
/// not depend on MazeEnvs: CartPole-v1 (vector observation, Discrete(2)), Pendulum-v1 (Box action)
/// and the masked structured Cutting2D (dict observations, two sub-steps, action masks).
enum TestSpaces {
    static func cartPole() throws -> (observations: [StepKey: DictSpace], actions: [StepKey: DictSpace]) {
        let bound = Double(Float.greatestFiniteMagnitude)
        let observation: DictSpace = [
            "observation": .box(try BoxSpace(low: [-4.8, -bound, -0.42, -bound], high: [4.8, bound, 0.42, bound]))
        ]
        return ([0: observation], [0: ["action": .discrete(2)]])
    }

    static func pendulum() throws -> (observations: [StepKey: DictSpace], actions: [StepKey: DictSpace]) {
        let observation: DictSpace = ["observation": .box(try BoxSpace(low: [-1, -1, -8], high: [1, 1, 8]))]
        return ([0: observation], [0: ["action": .box(try BoxSpace(low: -2, high: 2, shape: [1]))]])
    }

    /// Inventory of `pieces` slots, as the tutorial's masked structured env.
    static func maskedCutting2D(pieces: Int = 5) throws -> (
        observations: [StepKey: DictSpace], actions: [StepKey: DictSpace]
    ) {
        let order = Space.box(try BoxSpace(low: 0, high: 11, shape: [2]))
        let selection: DictSpace = [
            "inventory": .box(try BoxSpace(low: 0, high: 11, shape: [pieces, 2])),
            "inventory_size": .box(try BoxSpace(low: 0, high: Double(pieces + 1), shape: [1])),
            "ordered_piece": order,
            "inventory_mask": .box(try BoxSpace(low: 0, high: 1, shape: [pieces])),
        ]
        let cutting: DictSpace = [
            "selected_piece": order, "ordered_piece": order,
            "cutting_mask": .box(try BoxSpace(low: 0, high: 1, shape: [2])),
        ]
        return (
            [0: selection, 1: cutting],
            [0: ["piece_idx": .discrete(pieces)], 1: ["cut_rotation": .discrete(2), "cut_order": .discrete(2)]]
        )
    }

    /// Which observation masks which action in the masked Cutting2D env.
    static let cuttingMasks = ["inventory_mask": "piece_idx", "cutting_mask": "cut_rotation"]

    /// The shipped model configurations: the template model with the template critic, and
    /// flatten-concat with its dense layers shrunk to 16 units so debug builds initialise them quickly.
    static let modelChoices = [
        ["model=vector_obs", "critic=template_state"],
        [
            "model=flatten_concat", "model.policy.networks.0.hidden_units=[16,16]",
            "model.critic.networks.0.hidden_units=[16,16]",
        ],
    ]

    /// The spaces of every test environment, by name.
    static func environment(_ name: String) throws -> (
        observations: [StepKey: DictSpace], actions: [StepKey: DictSpace]
    ) {
        switch name {
        case "CartPole": try cartPole()
        case "Pendulum": try pendulum()
        default: try maskedCutting2D()
        }
    }

    /// The recipe of a shipped model config, with the Cutting2D masks bound.
    static func recipe(_ overrides: [String]) throws -> ModelRecipe {
        var recipe = try PerceptionRegistry.standard().recipe(model: modelConfig(overrides))
        recipe.actionMasks = cuttingMasks
        return recipe
    }

    /// The `model` section composed from the shipped `conf/` with the given overrides.
    static func modelConfig(_ overrides: [String]) throws -> ConfigSection {
        let composer = ConfigComposer(
            searchPath: ConfigSearchPath(shippedDirectory: ConfigSearchPath.shippedDirectory(environment: [:])))
        return try composer.compose(rootConfig: "conf_train", overrides: overrides).root.section("model")
    }
}
