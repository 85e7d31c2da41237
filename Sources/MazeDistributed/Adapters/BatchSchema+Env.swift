import MazeCore
import MazePerception
import MazeService
import MazeTrain

extension BatchSchema {
    /// The schema of the batches `ActorCriticActingPolicy` sends for `env` with `recipe`'s model and rollouts of
    /// `steps`: the flat layout for a single-step env, the sub-step layout for a structured one. The action masks
    /// are the recipe's and those the env declares, as the model binds them.
    public init(env: any StructuredEnv, recipe: ModelRecipe, steps: Int) throws {
        var masks = recipe.actionMasks
        masks.merge(env.actionMasks) { listed, _ in listed }
        if env.agentCounts.count == 1 {
            let flat = try FlatEnvView(env)
            self = .flat(
                steps: steps, observationSpace: flat.observationSpace, actionSpace: flat.actionSpace, masks: masks)
        } else {
            self = .structured(steps: steps, cycle: try SubStepCycle(env), masks: masks)
        }
    }

    /// The sub-step layout (docs/PROTOCOL.md 4.1.2): per sub-step `k` one observation tensor `observation_<k>` in
    /// its observation space's row layout and one action tensor `action_<k>` whose columns follow its action space
    /// (Discrete masks read from `observation_<k>`), plus the optional `final_observation` of the first sub-step.
    static func structured(steps: Int, cycle: SubStepCycle, masks: [String: String]) -> BatchSchema {
        var (observations, actions) = ([String: Feature](), [String: Feature]())
        var (actionColumns, actionSubSteps) = ([String: [ActionColumn]](), [String: Int]())
        let spaces = zip(cycle.observationSpaces, cycle.actionSpaces)
        for (subStep, (observationSpace, actionSpace)) in spaces.enumerated() {
            let observation = ActorCriticActingPolicy.observationKey(subStep: subStep)
            let action = ActorCriticActingPolicy.actionKey(subStep: subStep)
            observations[observation] = Feature(dtype: .float32, shape: [observationSpace.flatCount])
            actions[action] = Feature(dtype: .float32, shape: [actionSpace.flatCount])
            actionColumns[action] = columns(of: actionSpace, maskedBy: observationSpace, in: observation, masks: masks)
            actionSubSteps[action] = subStep
        }
        let first = Feature(dtype: .float32, shape: [cycle.observationSpaces.first?.flatCount ?? 0])
        return BatchSchema(
            steps: steps, subSteps: cycle.keys.count, observations: observations,
            optionalObservations: [ActorCriticActingPolicy.finalObservationKey: first], actions: actions,
            actionColumns: actionColumns, actionSubSteps: actionSubSteps)
    }
}
