import MazeCore

extension ActorCriticModel {
    /// Builds the networks `recipe` describes for `env`'s spaces, binding the action masks `env`
    /// declares (``StructuredEnv/actionMasks``) as if listed under `model.action_masks`; masks the recipe
    /// lists itself take precedence.
    public init(recipe: ModelRecipe, env: any StructuredEnv, seed: UInt64) throws {
        var recipe = recipe
        recipe.actionMasks.merge(env.actionMasks) { listed, _ in listed }
        try self.init(
            recipe: recipe, observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces, seed: seed)
    }
}
