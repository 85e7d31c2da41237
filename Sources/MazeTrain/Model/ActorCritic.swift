import MazeCore
import MazeTensor

/// What the trainers need of a policy and its critic, on flat batches: rows of observations laid out
/// as the env's ``DictSpace/flatten(_:)`` does, and rows of actions as ``DictSpace/unflatten(_:)`` reads.
///
/// In a structured env one decision is a whole cycle of sub-steps (see ``SubStepCycle``): a training
/// row is the sub-steps' observation rows side by side, likewise for actions, and the log-probability
/// of the cycle's actions is the sum over its sub-steps (the chain rule of the factored policy). The
/// critic judges the state at the start of a cycle, from the first sub-step's part of the row.
///
/// Keeping the trainers on this small surface lets one algorithm drive any model: template models
/// from MazePerception, shared or separate critics, masked or unmasked distributions.
public protocol ActorCritic {
    /// Every trainable tensor of the policy and the critic, by parameter name.
    var parameters: ParameterStore { get set }
    /// Whether a parameter belongs to the critic (the others belong to the policy); the two groups get
    /// their gradient norms clipped and reported separately, as in Maze.
    func isCriticParameter(_ name: String) -> Bool
    /// Log-probabilities of `actions` (`[N, actionWidth]`), the distributions' entropies and the critic's
    /// values, all `[N]`, recorded on the tape of `parameters` so that a loss built from them back-propagates.
    func evaluateDecisions(observations: Tensor, actions: Tensor, parameters: BoundParameters) throws
        -> ActionEvaluation
    /// Actions of sub-step `subStep` (its index in the cycle, 0 for single-step envs) for `[N, width]`
    /// observations of that sub-step: `N × actionWidth` floats with their log-probabilities.
    /// `deterministic` takes each distribution's mode instead of sampling from `random`.
    func act(subStep: Int, observations: Tensor, deterministic: Bool, random: inout MazeRandom) throws
        -> (actions: [Float], logProbs: [Float])
    /// The critic's values of `[N, observationWidth]` observations, without gradient: recorded as constants on
    /// `tape`, which is left reset, so a trainer that keeps its tape reuses the buffers of this pass too.
    func stateValues(observations: Tensor, tape: Tape) throws -> [Float]

    /// Floats of recurrent state each env carries from step to step; 0 (the default) for feed-forward models.
    /// Recurrent models act with ``act(subStep:observations:states:deterministic:random:)`` and train on whole
    /// env sequences (``RecurrentSegment``).
    var recurrentStateWidth: Int { get }
    /// ``act(subStep:observations:deterministic:random:)`` for envs that carry `states` (`N × recurrentStateWidth`
    /// floats), which it advances by this step.
    func act(subStep: Int, observations: Tensor, states: inout [Float], deterministic: Bool, random: inout MazeRandom)
        throws -> (actions: [Float], logProbs: [Float])
    /// ``evaluateDecisions(observations:actions:parameters:)`` of a segment's steps, recomputed from the state each
    /// env started the segment with (truncated back-propagation through time); rows in the segment's order.
    func evaluateSequences(_ segment: RecurrentSegment, parameters: BoundParameters) throws -> ActionEvaluation
    /// The critic's values of a segment's observations and of each step's successor observation, without gradient.
    func sequenceValues(_ segment: RecurrentSegment) throws -> (values: [Float], successorValues: [Float])
}

/// The differentiable outputs of a policy and critic on a batch of decisions.
public struct ActionEvaluation {
    /// `log π(a|x)`, `[N]`.
    public let logProbs: Variable
    /// Entropy of each action distribution, `[N]`.
    public let entropies: Variable
    /// `V(x)`, `[N]`.
    public let values: Variable

    public init(logProbs: Variable, entropies: Variable, values: Variable) {
        self.logProbs = logProbs
        self.entropies = entropies
        self.values = values
    }
}
