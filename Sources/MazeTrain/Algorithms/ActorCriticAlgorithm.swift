import MazeConfig
import MazeCore
import MazeTensor

/// An on- or off-policy actor-critic update rule: from one rollout to one or more optimizer steps.
public protocol ActorCriticAlgorithm: TrainingAlgorithm {
    /// How often each rollout row passes through the learner (PPO's optimization epochs; 1 otherwise).
    var passesPerRollout: Int { get }
    /// Env steps the runner collects with uniformly random actions, each rollout handed to ``update``,
    /// before the first epoch: an off-policy algorithm's initial replay buffer (SAC's `initial_buffer_size`).
    var initialRandomSteps: Int { get }
    /// Decisions each env holds one uniformly random action for during ``initialRandomSteps`` (SAC's
    /// `initial_sampling_policy.action_repeat`; 1 draws a new action every step).
    var initialRandomActionRepeat: Int { get }
    /// The rollouts a learner service may combine into one update, read from the algorithm `section`
    /// (see ``ServiceNeeds``).
    func serviceNeeds(_ section: ConfigSection) throws -> ServiceNeeds
    /// Trains `model` on `rollout`; `trainPolicy: false` updates the critic only (burn-in epochs).
    /// The passes are recorded on `tape`, which is left reset: a caller that keeps one tape across updates (as
    /// ``TrainingSession`` does) has its buffers reused, so a steady state allocates no tensor storage.
    func update(
        _ rollout: RolloutBuffer, model: inout some ActorCritic, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
    ) throws
}

extension ActorCriticAlgorithm {
    public var passesPerRollout: Int { 1 }
    public var initialRandomSteps: Int { 0 }
    public var initialRandomActionRepeat: Int { 1 }

    /// One update on a tape of its own (a single step, as in tests): its buffers are allocated afresh. A training
    /// loop passes the tape it keeps instead.
    public func update(
        _ rollout: RolloutBuffer, model: inout some ActorCritic, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics
    ) throws {
        try update(
            rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: trainPolicy,
            statistics: &statistics, tape: Tape())
    }

    /// One vanilla policy-gradient step on a whole rollout (A2C, IMPALA): `targets` turns the model's
    /// evaluation of the rollout into per-row advantages and value targets, then
    /// `policy_loss = −mean(log π · advantage)` and the critic regresses onto the targets; recorded on `tape`.
    func policyGradientStep(
        _ rollout: RolloutBuffer, model: inout some ActorCritic, optimizer: inout Adam, trainPolicy: Bool,
        statistics: inout LearnerStatistics, tape: Tape,
        targets: (ActionEvaluation) throws -> (advantages: [Float], valueTargets: [Float])
    ) throws {
        let bound = tape.bind(model.parameters)
        let evaluation = try model.evaluateDecisions(in: rollout, parameters: bound)
        let (advantages, valueTargets) = try targets(evaluation)
        let policyLoss = try ActorCriticLoss.policyGradientLoss(
            logProbs: evaluation.logProbs, advantages: bound.tape.constant(vector: advantages))
        let loss = try ActorCriticLoss(
            policyLoss: policyLoss, evaluation: evaluation,
            valueTargets: bound.tape.constant(vector: valueTargets), settings: common,
            trainPolicy: trainPolicy)
        try GradientStep.optimize(
            loss, evaluation: evaluation, bound: bound, model: &model, optimizer: &optimizer, settings: common,
            statistics: &statistics)
    }

    /// Adam with the algorithm's learning rate, as Maze's trainers use.
    public func makeOptimizer() -> Adam {
        Adam(learningRate: .constant(common.lr))
    }
}

/// Row gathering for minibatches and whole rollouts.
extension Tensor {
    /// `[rows.count, width]` made of the given rows of a flat row-major buffer.
    static func rows(_ flat: [Float], width: Int, _ rows: some Collection<Int>) throws -> Tensor {
        var scalars: [Float] = []
        scalars.reserveCapacity(rows.count * width)
        for row in rows { scalars += flat[row * width..<(row + 1) * width] }
        return try Tensor(shape: [rows.count, width], scalars: scalars)
    }

    /// `[flat.count / width, width]`.
    static func matrix(_ flat: [Float], width: Int) throws -> Tensor {
        try Tensor(shape: [flat.count / width, width], scalars: flat)
    }
}

extension ActorCritic {
    /// Log-probabilities, entropies and values of every decision of a rollout, on the tape of `bound`; a recurrent
    /// model recomputes them over the whole rollout from its initial states.
    func evaluateDecisions(in rollout: RolloutBuffer, parameters bound: BoundParameters) throws -> ActionEvaluation {
        if recurrentStateWidth > 0 { return try evaluateSequences(RecurrentSegment(rollout), parameters: bound) }
        return try evaluateDecisions(
            observations: bound.tape.constant(rows: rollout.observations, width: rollout.observationWidth).value,
            actions: bound.tape.constant(rows: rollout.actions, width: rollout.actionWidth).value, parameters: bound)
    }

    /// The critic's values of a rollout's observations and successor observations, without gradient, on the side
    /// tape of `tape` (``Tape/sideTape``: the training passes on `tape` keep their shapes and buffers).
    func bootstrapInputs(for rollout: RolloutBuffer, tape: Tape) throws -> BootstrapInputs {
        if recurrentStateWidth > 0 {
            let (values, successorValues) = try sequenceValues(RecurrentSegment(rollout))
            return try rollout.bootstrapInputs(values: values, successorValues: successorValues)
        }
        let side = tape.sideTape
        return try rollout.bootstrapInputs(
            values: stateValues(
                observations: side.constant(rows: rollout.observations, width: rollout.observationWidth).value,
                tape: side),
            successorValues: successorValues(for: rollout, tape: tape))
    }

    /// The critic's values of a rollout's successor observations, without gradient (for a recurrent model, each
    /// from the state after its step), on the side tape of `tape`.
    func successorValues(for rollout: RolloutBuffer, tape: Tape) throws -> [Float] {
        if recurrentStateWidth > 0 { return try sequenceValues(RecurrentSegment(rollout)).successorValues }
        let side = tape.sideTape
        return try stateValues(
            observations: side.constant(rows: rollout.successorObservations, width: rollout.observationWidth).value,
            tape: side)
    }
}
