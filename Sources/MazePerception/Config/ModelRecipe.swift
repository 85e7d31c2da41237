import MazeTensor

/// A configured block type (`DenseBlock`, `VGGConvolutionDenseBlock`, …) with its settings read and
/// checked, waiting only for the shapes of its inputs, which are known once the env's spaces are.
///
/// Recipes compare equal when their type and settings are equal.
public struct BlockRecipe: Sendable, Hashable {
    /// Builds the block named `name` (the prefix of its parameters) for per-sample input shapes.
    public typealias Build = @Sendable (_ name: String, _ inputShapes: [[Int]]) throws -> any PerceptionBlock

    /// The block type, as registered.
    public let type: String
    /// The settings, as written (for equality and messages).
    public let settings: String
    /// The widths of the block's dense layers (`hidden_units`), which `TrainingMemoryEstimate` counts before
    /// anything is built; empty for blocks without them.
    public let denseUnits: [Int]
    private let build: Build

    public init(type: String, settings: String, denseUnits: [Int] = [], build: @escaping Build) {
        self.type = type
        self.settings = settings
        self.denseUnits = denseUnits
        self.build = build
    }

    /// The block for inputs of these per-sample shapes.
    public func block(name: String, inputShapes: [[Int]]) throws -> any PerceptionBlock {
        try build(name, inputShapes)
    }

    /// A `DenseBlock` on the last axis of its single input.
    public static func dense(hiddenUnits: [Int], nonLinearity: Activation) -> BlockRecipe {
        BlockRecipe(
            type: "DenseBlock", settings: "hidden_units: \(hiddenUnits), non_lin: \(nonLinearity)",
            denseUnits: hiddenUnits
        ) {
            name, shapes in
            guard shapes.count == 1 else {
                throw PerceptionError.invalidConfiguration(
                    "'\(name)': a DenseBlock reads one input, got \(shapes.count)")
            }
            return try DenseBlock(
                name: name, inputShape: shapes[0], hiddenUnits: hiddenUnits, nonLinearity: nonLinearity)
        }
    }

    public static func == (lhs: BlockRecipe, rhs: BlockRecipe) -> Bool {
        lhs.type == rhs.type && lhs.settings == rhs.settings
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(type)
        hasher.combine(settings)
    }
}

/// How a network processes a sub-step's observations, before its heads, independent of any space:
/// a block per observation key (a template model's modality blocks) or none (flatten-concat), then
/// an optional body block on the concatenation and an optional recurrent block; or, for custom networks,
/// a graph of blocks.
public struct TrunkRecipe: Sendable, Hashable {
    /// Blocks of specific observation keys.
    public var keyBlocks: [String: BlockRecipe]
    /// The block of every other key; `nil` feeds the other keys, concatenated, straight to the body.
    public var defaultKeyBlock: BlockRecipe?
    /// The block applied to the concatenation, if any.
    public var body: BlockRecipe?
    /// The recurrent block after the body (Maze's `recurrence` modality), which makes the policy or critic
    /// carry a state from step to step (see ``RecurrentBlock``).
    public var recurrence: BlockRecipe?
    /// Observation keys whose block a critic takes over from the policy of its sub-step (same parameters):
    /// Maze's `shared_embedding_keys`. `latent` shares the body (and so every key block) as well.
    public var sharedEmbeddingKeys: Set<String>
    /// A custom network's blocks (`InferenceBlock`), used instead of the key blocks and body when set.
    public var graph: GraphRecipe?

    public init(
        keyBlocks: [String: BlockRecipe] = [:], defaultKeyBlock: BlockRecipe? = nil, body: BlockRecipe? = nil,
        recurrence: BlockRecipe? = nil, sharedEmbeddingKeys: Set<String> = [], graph: GraphRecipe? = nil
    ) {
        self.keyBlocks = keyBlocks
        self.defaultKeyBlock = defaultKeyBlock
        self.body = body
        self.recurrence = recurrence
        self.sharedEmbeddingKeys = sharedEmbeddingKeys
        self.graph = graph
    }

    /// The name of the key embedding a critic shares with the policy when it shares the body.
    public static let latentKey = "latent"

    /// Maze's FlattenConcat nets: every observation flattened and concatenated, then dense layers.
    public static func flattenConcat(hiddenUnits: [Int], nonLinearity: Activation) -> TrunkRecipe {
        TrunkRecipe(body: .dense(hiddenUnits: hiddenUnits, nonLinearity: nonLinearity))
    }
}

/// Whether sub-steps share one critic (`critic.shared.…`, reading the union of their observation keys)
/// or each has its own (`critic.<step>.…`): Maze's `SharedStateCriticComposer` and
/// `StepStateCriticComposer` (alias `StateCriticComposer`).
public enum CriticSharing: String, Sendable, Hashable, Codable {
    case perStep
    case shared
}

/// What the critic estimates: `V(s)` (Maze's state critic composers, for A2C, PPO and IMPALA) or
/// `Q(s, a)` (the `…StateActionCriticComposer`s, for SAC).
public enum CriticKind: String, Sendable, Hashable, Codable {
    case state
    case stateAction
}

/// The policy side of a model config: Maze's `ProbabilisticPolicyComposer`, the only kind here.
public enum PolicyComposition: String, Sendable, Hashable {
    case probabilistic
}

/// Everything a model config decides, before the env's spaces are known: the distribution mapping,
/// the policy and critic trunks (one for all sub-steps, or one per sub-step in step order), the
/// critic sharing and which observations mask which actions.
public struct ModelRecipe: Sendable, Hashable {
    /// Distribution family per action.
    public var distributionMapper: DistributionMapper
    /// The policy trunk of each sub-step in step-key order; a single entry serves every sub-step.
    public var policyTrunks: [TrunkRecipe]
    /// The critic trunk of each sub-step (or the shared critic's, first entry); a single entry serves all.
    public var criticTrunks: [TrunkRecipe]
    /// Shared or per-step critics.
    public var criticSharing: CriticSharing
    /// Observation key → action key it masks. Observations named `<action>_mask` mask `<action>`
    /// without being listed. Mask observations are not network inputs.
    public var actionMasks: [String: String]
    /// State or state-action critics.
    public var criticKind: CriticKind

    public init(
        distributionMapper: DistributionMapper = DistributionMapper(), policyTrunks: [TrunkRecipe],
        criticTrunks: [TrunkRecipe],
        criticSharing: CriticSharing = .perStep, actionMasks: [String: String] = [:], criticKind: CriticKind = .state
    ) {
        self.distributionMapper = distributionMapper
        self.policyTrunks = policyTrunks
        self.criticTrunks = criticTrunks
        self.criticSharing = criticSharing
        self.actionMasks = actionMasks
        self.criticKind = criticKind
    }

    /// The `flatten_concat` model: the same dense trunk for policy and critic.
    public static func flattenConcat(hiddenUnits: [Int] = [256, 256], nonLinearity: Activation = .tanh) -> ModelRecipe {
        let trunk = TrunkRecipe.flattenConcat(hiddenUnits: hiddenUnits, nonLinearity: nonLinearity)
        return ModelRecipe(policyTrunks: [trunk], criticTrunks: [trunk])
    }

    /// The trunk of sub-step number `index` from `trunks` (one for all, or one per step).
    static func trunk(_ trunks: [TrunkRecipe], at index: Int, role: String) throws -> TrunkRecipe {
        if trunks.count == 1 { return trunks[0] }
        guard trunks.indices.contains(index) else {
            throw PerceptionError.invalidConfiguration(
                "\(trunks.count) \(role) networks are configured, sub-step \(index) has none")
        }
        return trunks[index]
    }
}
