import MazeCore
import MazePerception
import MazeTensor

/// A composed model with a `recurrence` block acts and trains through ``ActorCritic``'s recurrent surface
/// (its ``ActorCriticModel/recurrentStateWidth`` comes from MazePerception).
extension ActorCriticModel {
    public func act(
        subStep: Int, observations: Tensor, states: inout [Float], deterministic: Bool, random: inout MazeRandom
    ) throws -> (actions: [Float], logProbs: [Float]) {
        let width = recurrentStateWidth
        guard width > 0 else {
            return try act(subStep: subStep, observations: observations, deterministic: deterministic, random: &random)
        }
        guard subStep == 0, states.count == observations.shape[0] * width else {
            throw TrainError.shapeMismatch(
                "sub-step \(subStep) with \(states.count) floats of state for \(observations.shape[0]) rows "
                    + "of \(width) (a recurrent model has one sub-step)")
        }
        let (decision, next) = try decide(
            observations: observations, state: Tensor(shape: [observations.shape[0], width], scalars: states),
            deterministic: deterministic, random: &random)
        states = next.scalars
        return (decision.actions.scalars, decision.logProbs)
    }

    public func evaluateSequences(_ segment: RecurrentSegment, parameters: BoundParameters) throws -> ActionEvaluation {
        let evaluation = try evaluateSequences(
            observations: segment.observations, actions: segment.actions, initialStates: segment.initialStates,
            keep: segment.keep, stepCount: segment.stepCount, parameters: parameters)
        return ActionEvaluation(
            logProbs: evaluation.logProbs, entropies: evaluation.entropies, values: evaluation.values)
    }

    public func sequenceValues(_ segment: RecurrentSegment) throws -> (values: [Float], successorValues: [Float]) {
        try sequenceValues(
            observations: segment.observations, successorObservations: segment.successorObservations,
            initialStates: segment.initialStates, keep: segment.keep, stepCount: segment.stepCount)
    }
}
