import MazeCore
import MazeTensor

/// Recurrent policies and critics (a template model's `recurrence` block): the state each env carries is
/// `[policy state | critic state]` (``recurrentStateWidth`` floats, zeros at an episode's start). Acting steps
/// the state; training recomputes a rollout segment's steps from the state it started with (truncated
/// back-propagation through time over the segment).
extension ActorCriticModel {
    /// Floats of state per env: the policy's recurrent state, then the critic's; 0 for feed-forward models.
    public var recurrentStateWidth: Int {
        policyStateWidth + criticStateWidth
    }

    private var policyStateWidth: Int { policies[stepKeys[0]]?.network.recurrence?.stateWidth ?? 0 }
    private var criticStateWidth: Int { critics[stepKeys[0]]?.network.recurrence?.stateWidth ?? 0 }

    /// Refuses recurrence where states cannot be carried: an env with several sub-steps.
    static func checkRecurrence(policies: [StepKey: PolicyNetwork], critics: [StepKey: CriticNetwork]) throws {
        let recurrent =
            policies.values.contains { $0.network.recurrence != nil }
            || critics.values.contains { $0.network.recurrence != nil }
        guard recurrent, policies.count > 1 else { return }
        throw PerceptionError.invalidConfiguration(
            "recurrence: recurrent models need an env with a single sub-step, this one has \(policies.count)")
    }

    /// Actions for `[batch, observationWidth]` observations whose envs carry `state` (`[batch, recurrentStateWidth]`),
    /// and the state after this step; without a tape.
    public func decide(
        observations: Tensor, state: Tensor, deterministic: Bool, random: inout MazeRandom
    ) throws -> (decision: PolicyDecision, state: Tensor) {
        let (policy, critic) = (try policy(), try critic())
        let tape = Tape()
        let bound = tape.bindConstants(parameters)
        let rows = tape.constant(observations)
        let states = try split(tape.constant(state))
        var next: [Variable] = []
        let logits: Tensor
        if let policyState = states.policy {
            let step = try policy.network.step(rows, state: policyState, bound)
            logits = step.outputs.value
            next.append(step.state)
        } else {
            logits = try policy.network(observations, parameters)
        }
        if let criticState = states.critic {
            next.append(try critic.network.step(rows, state: criticState, bound).state)
        }
        let (actions, logProbs) = try policy.decide(
            logits: logits, observations: observations, deterministic: deterministic, random: &random)
        let decision = PolicyDecision(actions: actions, logProbs: logProbs, logits: logits)
        guard !next.isEmpty else { return (decision, state) }
        return (decision, next.count == 1 ? next[0].value : try Variable.concatenate(next, alongAxis: 1).value)
    }

    /// Log-probabilities, entropies and values of `stepCount` steps of `batch` envs (rows time-major: step `t` of
    /// env `b` is row `t · batch + b`), recomputed on the tape of `parameters` from the envs' `initialStates`
    /// (`[batch, recurrentStateWidth]`). `keep[t · batch + b]` is 0 where env `b`'s episode ended before step
    /// `t`, which resets its state, and 1 elsewhere.
    public func evaluateSequences(
        observations: Tensor, actions: Tensor, initialStates: Tensor, keep: [Float], stepCount: Int,
        parameters bound: BoundParameters
    ) throws -> PolicyEvaluation {
        let (policy, critic) = (try policy(), try critic())
        let tape = bound.tape
        let rows = tape.constant(observations)
        let states = try split(tape.constant(initialStates))
        let logits = try policy.network.sequence(
            rows, initialState: states.policy, keep: keep, stepCount: stepCount, bound
        ).outputs
        let values = try critic.network.sequence(
            rows, initialState: states.critic, keep: keep, stepCount: stepCount, bound
        ).outputs
        let (logProbs, entropies) = try policy.logProbsAndEntropies(
            logits: logits, observations: observations, actions: actions)
        return PolicyEvaluation(
            logProbs: logProbs, entropies: entropies, values: try values.flattened(), logits: logits)
    }

    /// The critic's values of a segment's observations (as ``evaluateSequences``) and of each step's successor
    /// observation, judged from the state after the step (before any reset): what GAE and V-trace bootstrap
    /// from. Without gradient.
    public func sequenceValues(
        observations: Tensor, successorObservations: Tensor, initialStates: Tensor, keep: [Float], stepCount: Int
    ) throws -> (values: [Float], successorValues: [Float]) {
        let critic = try critic()
        let tape = Tape()
        let bound = tape.bindConstants(parameters)
        let states = try split(tape.constant(initialStates))
        let (values, after) = try critic.network.sequence(
            tape.constant(observations), initialState: states.critic, keep: keep, stepCount: stepCount, bound)
        let successors: [Float]
        if let after {
            successors = try critic.network.step(tape.constant(successorObservations), state: after, bound).outputs
                .value.scalars
        } else {
            successors = try critic.values(successorObservations, parameters)
        }
        return (values.value.scalars, successors)
    }

    /// The policy's and the critic's parts of `[batch, recurrentStateWidth]` states (nil where not recurrent).
    private func split(_ state: Variable) throws -> (policy: Variable?, critic: Variable?) {
        let (policyWidth, criticWidth) = (policyStateWidth, criticStateWidth)
        guard state.shape.count == 2, state.shape[1] == policyWidth + criticWidth else {
            throw PerceptionError.batchMismatch(
                "recurrent states \(state.shape) do not fit [batch, \(policyWidth + criticWidth)]")
        }
        return (
            policyWidth > 0 ? try state.slice(alongAxis: 1, 0..<policyWidth) : nil,
            criticWidth > 0 ? try state.slice(alongAxis: 1, policyWidth..<policyWidth + criticWidth) : nil
        )
    }
}

extension PerceptionNetwork {
    /// The outputs of `stepCount` time-major steps of `rows` (`[stepCount · batch, width]`) and the state after
    /// each step (`[stepCount · batch, stateWidth]`), starting from `initialState` `[batch, stateWidth]` and
    /// multiplying the state by `keep` before each step (0 resets it); the recurrence runs all steps at once
    /// (``RecurrentBlock/sequence(_:initialState:keep:stepCount:_:)``). A feed-forward network (no state)
    /// evaluates all rows at once.
    func sequence(
        _ rows: Variable, initialState: Variable?, keep: [Float], stepCount: Int, _ parameters: BoundParameters
    ) throws -> (outputs: Variable, states: Variable?) {
        guard let recurrence else { return (try self(rows, parameters), nil) }
        guard let initialState, stepCount > 0, rows.shape[0] == stepCount * initialState.shape[0],
            keep.count == rows.shape[0]
        else {
            throw PerceptionError.batchMismatch(
                "network '\(name)': \(rows.shape[0]) rows, \(keep.count) reset flags and initial states "
                    + "\(initialState?.shape ?? []) do not make \(stepCount) steps")
        }
        let (outputs, states) = try recurrence.sequence(
            embedding(rows, parameters), initialState: initialState, keep: keep, stepCount: stepCount, parameters)
        return (try applyHeads(outputs, parameters), states)
    }
}
