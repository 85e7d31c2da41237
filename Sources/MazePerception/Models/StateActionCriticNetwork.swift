import MazeCore
import MazeTensor

/// A state-action critic Q, Maze's `StateActionCriticComposer` network for one single-step env:
///
/// - for Box actions, `Q(s, a)`: the network reads rows `[observation…, action…]` (the action keys
///   appended to the observation layout) and has one output;
/// - for one Discrete action of `|A|` categories, `Q(s, ·)`: the network reads observation rows and
///   has `|A|` outputs, one per action (Christodoulou 2019).
///
/// The trunk is the model's critic trunk. Action keys are concatenated after the observation keys'
/// blocks; when the trunk has no body block of its own, the trunk's key block (or, failing that, no
/// block) is used as the body, so that state and action interact before the head instead of adding up.
package struct StateActionCriticNetwork: Sendable {
    /// The network; parameters under `name`.
    package let network: PerceptionNetwork
    /// Columns of an observation row.
    package let observationWidth: Int
    /// Columns of an action row appended to the observation (0 for the Discrete form).
    package let actionInputWidth: Int
    /// `|A|` for the Discrete form, `nil` for `Q(s, a)`.
    package let actionCount: Int?

    /// The critic named `name` (e.g. `critic.q1`) built from `trunk` for the spaces of a single-step env.
    package init(name: String, trunk: TrunkRecipe, observationSpace: DictSpace, actionSpace: DictSpace) throws {
        let observationInputs = observationSpace.map { (key: $0.key, width: $0.space.elementCount) }
        var trunk = trunk
        if trunk.body == nil { trunk.body = trunk.defaultKeyBlock ?? trunk.keyBlocks.values.first }
        if actionSpace.count == 1, let only = actionSpace.first, case .discrete(let n) = only.space {
            network = try NetworkFactory.network(
                prefix: name, trunk: trunk, inputs: observationInputs, shapes: Self.shapes(of: observationSpace),
                layout: ObservationLayout(observationSpace),
                heads: [("q_values", n)], headGain: NetworkFactory.valueHeadGain)
            actionInputWidth = 0
            actionCount = n
        } else {
            guard actionSpace.allSatisfy({ if case .box = $0.space { true } else { false } }) else {
                throw PerceptionError.invalidConfiguration(
                    "'\(name)': a state-action critic needs Box actions or a single Discrete action, got \(actionSpace.keys)"
                )
            }
            let actionKeys = actionSpace.map { (key: "action_\($0.key)", space: $0.space) }
            let rowSpace = DictSpace(
                observationSpace.map { ($0.key, $0.space) } + actionKeys.map { ($0.key, $0.space) })
            network = try NetworkFactory.network(
                prefix: name, trunk: trunk,
                inputs: observationInputs + actionKeys.map { ($0.key, $0.space.elementCount) },
                shapes: Self.shapes(of: rowSpace), layout: ObservationLayout(rowSpace), heads: [("q_value", 1)],
                headGain: NetworkFactory.valueHeadGain)
            actionInputWidth = actionSpace.flatCount
            actionCount = nil
        }
        observationWidth = observationSpace.flatCount
    }

    /// Per-sample shapes of the network's input keys (what blocks other than dense ones read).
    private static func shapes(of space: DictSpace) -> [String: [Int]] {
        Dictionary(space.map { ($0.key, $0.space.shape) }, uniquingKeysWith: { first, _ in first })
    }

    /// Draws initial parameters.
    package func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        try network.initialize(&parameters, using: &generator)
    }

    /// `Q(s, a)` as `[batch]` (Box actions, `actions` `[batch, actionWidth]`) or `Q(s, ·)` as
    /// `[batch, |A|]` (Discrete, `actions` ignored), on the tape of `parameters`.
    package func callAsFunction(observations: Variable, actions: Variable?, _ parameters: BoundParameters) throws
        -> Variable
    {
        guard actionCount == nil else { return try network(observations, parameters) }
        guard let actions else { throw PerceptionError.batchMismatch("Q(s, a) needs actions") }
        let rows = try Variable.concatenate([observations, actions], alongAxis: 1)
        return try network(rows, parameters).reshaped(to: [observations.shape[0]])
    }

    /// The same without a tape.
    package func callAsFunction(observations: Tensor, actions: Tensor?, _ parameters: ParameterStore) throws -> Tensor {
        guard actionCount == nil else { return try network(observations, parameters) }
        guard let actions else { throw PerceptionError.batchMismatch("Q(s, a) needs actions") }
        let rows = try Tensor.concatenatingColumns([observations, actions])
        return try network(rows, parameters).reshaped(to: [observations.shape[0]])
    }
}
