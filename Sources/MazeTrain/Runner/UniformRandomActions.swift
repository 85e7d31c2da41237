import MazeCore
import MazeTensor

/// A model that acts uniformly at random in its action spaces (Maze's `RandomPolicy`, SAC's default
/// `initial_sampling_policy`) and otherwise answers as `base`: the runner fills an off-policy replay
/// buffer with it before training. With ``held`` actions it repeats those instead (SAC's
/// `initial_sampling_policy.action_repeat`; the runner redraws them).
struct UniformRandomActions<Base: ActorCritic>: ActorCritic {
    let base: Base
    /// The action space of each sub-step, in sub-step order.
    let actionSpaces: [DictSpace]
    /// Per sub-step, the actions every env repeats (one row per env); empty: a fresh uniform draw at every step.
    var held: [[Float]] = []

    init(_ base: Base, actionSpaces: [DictSpace]) {
        self.base = base
        self.actionSpaces = actionSpaces
    }

    /// The base's parameters. The runner only acts with this wrapper and never trains it, so there is
    /// nothing to write back.
    var parameters: ParameterStore {
        get { base.parameters }
        set {}
    }

    func isCriticParameter(_ name: String) -> Bool { base.isCriticParameter(name) }

    func evaluateDecisions(observations: Tensor, actions: Tensor, parameters: BoundParameters) throws
        -> ActionEvaluation
    {
        try base.evaluateDecisions(observations: observations, actions: actions, parameters: parameters)
    }

    /// One uniformly drawn action per row; log-probabilities are reported as 0 (nothing consumes them off-policy).
    func act(subStep: Int, observations: Tensor, deterministic: Bool, random: inout MazeRandom) throws
        -> (actions: [Float], logProbs: [Float])
    {
        guard actionSpaces.indices.contains(subStep) else {
            throw TrainError.shapeMismatch("sub-step \(subStep) is outside the \(actionSpaces.count) action spaces")
        }
        let rows = observations.shape[0]
        if held.indices.contains(subStep), held[subStep].count == rows * actionSpaces[subStep].flatCount {
            return (held[subStep], [Float](repeating: 0, count: rows))
        }
        let actions = try actionSpaces[subStep].uniformRandomActions(rows: rows, random: &random)
        return (actions, [Float](repeating: 0, count: rows))
    }

    func stateValues(observations: Tensor, tape: Tape) throws -> [Float] {
        try base.stateValues(observations: observations, tape: tape)
    }
}

extension DictSpace {
    /// `rows` actions drawn uniformly from this space, flat row after row: Maze's `RandomPolicy`, here and on the
    /// learner service's actors filling SAC's initial replay buffer.
    package func uniformRandomActions(rows: Int, random: inout MazeRandom) throws -> [Float] {
        var actions: [Float] = []
        actions.reserveCapacity(rows * flatCount)
        for _ in 0..<rows { actions += try flatten(sample(using: &random)) }
        return actions
    }
}
