import MazeCore
import MazePerception

/// A lower bound on the memory a training run needs, computed from its config before anything is allocated,
/// so that `hidden_units: [100000, 100000]` is refused in milliseconds instead of wedging the process.
///
/// Counted: the dense layers (`BlockRecipe.denseUnits`) of every policy and critic trunk (weights, gradients and Adam's two moments,
/// 4 × 4 bytes per parameter), their activations for one rollout (forward and backward), and the rollouts held
/// at once (observations, actions, rewards and values per step), and an off-policy replay buffer (SAC). Heads, distributions and allocator overhead
/// are left out, which is why it is a lower bound: a run it refuses cannot fit; one it admits may still be
/// tight. All arithmetic saturates at `Int.max`.
public struct TrainingMemoryEstimate: Sendable, Equatable {
    /// Parameters of the dense layers of all trunks.
    public let parameters: Int
    /// Bytes for parameters, gradients and optimizer state.
    public let modelBytes: Int
    /// Bytes for one rollout's activations and the rollouts held at once.
    public let rolloutBytes: Int
    /// Bytes of the replay buffer (SAC's `replay_buffer_size` transitions; 0 for on-policy algorithms).
    public let replayBufferBytes: Int

    /// Everything counted.
    public var totalBytes: Int { Self.add(Self.add(modelBytes, rolloutBytes), replayBufferBytes) }

    /// The estimate for `recipe` on an env with these spaces; `rolloutRows` is `n_rollout_steps × envs` of one
    /// rollout and `heldRollouts` how many of them are in memory at once (a learner's queue); `replayBufferBytes`
    /// is an off-policy algorithm's replay buffer.
    public init(
        recipe: ModelRecipe, observationSpaces: [StepKey: DictSpace], actionSpaces: [StepKey: DictSpace],
        rolloutRows: Int, heldRollouts: Int, replayBufferBytes: Int = 0
    ) {
        self.replayBufferBytes = max(0, replayBufferBytes)
        let observationWidths = observationSpaces.values.map {
            Dictionary(zip($0.keys, $0.spaces.map(\.elementCount)), uniquingKeysWith: +)
        }
        let actionWidth = actionSpaces.values.map(\.flatCount).max() ?? 1
        var parameters = 0
        var activationWidth = 0
        for trunks in [recipe.policyTrunks, recipe.criticTrunks] {
            for (index, trunk) in trunks.enumerated() {
                let inputs =
                    observationWidths.isEmpty ? [:] : observationWidths[min(index, observationWidths.count - 1)]
                let (count, width) = Self.denseParameters(trunk, inputs: inputs)
                parameters = Self.add(parameters, count)
                activationWidth = Self.add(activationWidth, width)
            }
        }
        self.parameters = parameters
        modelBytes = Self.multiply(parameters, 16)
        let observationWidth = observationWidths.map { $0.values.reduce(0, Self.add) }.max() ?? 0
        // Per row: observation, action, reward, value, log-probability, done (4 bytes each).
        let rowBytes = Self.multiply(Self.add(Self.add(observationWidth, actionWidth), 4), 4)
        let activations = Self.multiply(Self.multiply(rolloutRows, activationWidth), 4 * 3)
        let held = Self.multiply(Self.multiply(rolloutRows, rowBytes), max(1, heldRollouts))
        rolloutBytes = Self.add(activations, held)
    }

    /// Dense parameters of one trunk and the sum of its layer widths (the activations per row).
    private static func denseParameters(_ trunk: TrunkRecipe, inputs: [String: Int]) -> (
        parameters: Int, activations: Int
    ) {
        var parameters = 0
        var activations = 0
        var concatenated = 0
        func chain(_ block: BlockRecipe, from input: Int) -> Int {
            var width = max(1, input)
            for units in block.denseUnits {
                parameters = add(parameters, multiply(add(width, 1), units))
                activations = add(activations, units)
                width = units
            }
            return width
        }
        for (key, width) in inputs {
            if let block = trunk.keyBlocks[key] ?? trunk.defaultKeyBlock {
                concatenated = add(concatenated, chain(block, from: width))
            } else {
                concatenated = add(concatenated, width)
            }
        }
        if let body = trunk.body { _ = chain(body, from: concatenated) }
        return (parameters, activations)
    }

    /// `a + b`, or `Int.max` where it overflows.
    public static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// `a × b`, or `Int.max` where it overflows.
    public static func multiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : product
    }
}

/// The memory a run may plan for; a run whose `TrainingMemoryEstimate` exceeds it is refused before it starts.
public struct MemoryBudget: Sendable, Equatable {
    public let bytes: Int
    /// Where the user sets it, named in the refusal (`--memory-budget-mib`).
    public let setting: String

    /// The default: 4 GiB, far above the models Maze's configs train and below a small machine's memory.
    public static let defaultMiB = 4_096

    public init(mebibytes: Int, setting: String = "--memory-budget-mib") {
        bytes = TrainingMemoryEstimate.multiply(max(0, mebibytes), 1 << 20)
        self.setting = setting
    }

    /// Throws `TrainError.overBudget` naming the estimate's parts when it does not fit.
    public func check(_ estimate: TrainingMemoryEstimate) throws(TrainError) {
        guard estimate.totalBytes > bytes else { return }
        throw .overBudget(
            "the run needs at least \(Self.mib(estimate.totalBytes)) MiB (\(estimate.parameters) network parameters: "
                + "\(Self.mib(estimate.modelBytes)) MiB with gradients and Adam state; rollouts and activations: "
                + "\(Self.mib(estimate.rolloutBytes)) MiB"
                + (estimate.replayBufferBytes > 0
                    ? "; replay buffer: \(Self.mib(estimate.replayBufferBytes)) MiB" : "")
                + "), over the memory budget of \(Self.mib(bytes)) MiB; use smaller hidden_units or n_rollout_steps"
                + (estimate.replayBufferBytes > 0 ? " or replay_buffer_size" : "") + ", or raise \(setting)")
    }

    private static func mib(_ bytes: Int) -> Int { bytes / (1 << 20) }
}
