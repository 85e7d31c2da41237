import MazeCore
import MazeTensor

/// Feeds behavioural cloning's minibatches to the dev runner in place of rollouts: each ``collect(with:random:)``
/// fills the buffer with the next `batch_size` demonstrated decisions of a pass over the training data (reshuffled
/// at the start of every pass, the last minibatch of a pass holding the remainder) and takes no env step.
///
/// At the end of an epoch it scores the model on the demonstrations (``epochStatistics(model:)``): Maze's
/// `ImitationEvents` on the training data (accuracy) and on the validation data (loss, entropy, accuracy).
/// Not thread-safe: the runner's thread drives it.
struct DemonstrationBatches: RolloutSource {
    let training: Demonstrations.Batch
    let validation: Demonstrations.Batch
    let batchSize: Int
    let cycle: SubStepCycle
    private(set) var buffer: RolloutBuffer
    private var order: [Int] = []
    private var cursor = 0

    /// Rows scored at once at the end of an epoch, to bound the memory of a large validation set.
    static let scoringChunk = 4096

    init(training: Demonstrations.Batch, validation: Demonstrations.Batch, batchSize: Int, cycle: SubStepCycle) throws {
        self.training = training
        self.validation = validation
        self.batchSize = batchSize
        self.cycle = cycle
        buffer = try RolloutBuffer(
            stepCount: min(batchSize, training.count), envCount: 1, observationWidth: training.observationWidth,
            actionWidth: training.actionWidth)
    }

    var envs: [any StructuredEnv] { [] }

    func reset(seed: UInt64) throws {}

    mutating func collect(with model: some ActorCritic, random: inout MazeRandom) throws -> Int {
        if cursor >= order.count {
            order = Array(0..<training.count).shuffled(using: &random)
            cursor = 0
        }
        let rows = order[cursor..<min(cursor + batchSize, order.count)]
        cursor += rows.count
        if buffer.count != rows.count {
            buffer = try RolloutBuffer(
                stepCount: rows.count, envCount: 1, observationWidth: training.observationWidth,
                actionWidth: training.actionWidth)
        }
        let (observationWidth, actionWidth) = (training.observationWidth, training.actionWidth)
        for (step, row) in rows.enumerated() {
            let observations = training.observations[row * observationWidth..<(row + 1) * observationWidth]
            let actions = training.actions[row * actionWidth..<(row + 1) * actionWidth]
            buffer.recordDecision(step: step, observations: Array(observations), actions: Array(actions), logProbs: [0])
        }
        return 0
    }

    func epochStatistics(model: some ActorCritic) throws -> LogStats {
        var stats = try score(model, on: training, prefix: "train", withLoss: false)
        if validation.count > 0 {
            stats.append(contentsOf: try score(model, on: validation, prefix: "eval", withLoss: true))
        }
        return stats
    }

    /// `discrete_accuracy` (share of demonstrated Discrete, MultiDiscrete and MultiBinary choices the model's mode
    /// repeats) and `box_mean_abs_deviation` (of the mode from demonstrated Box actions) per sub-step and action
    /// key, named `<sub-step>/<action>` as in Maze; with `withLoss`, the mean `policy_loss` (negative log-likelihood)
    /// and `policy_entropy`.
    private func score(_ model: some ActorCritic, on data: Demonstrations.Batch, prefix: String, withLoss: Bool)
        throws -> LogStats
    {
        var sums: [String: (total: Double, count: Int)] = [:]
        var order: [String] = []
        func add(_ event: String, _ name: String, _ value: Double, count: Int = 1) {
            let key = event + "|" + name
            if sums[key] == nil { order.append(key) }
            sums[key, default: (0, 0)].total += value
            sums[key, default: (0, 0)].count += count
        }
        var random = MazeRandom(seed: 0)
        for start in stride(from: 0, to: data.count, by: Self.scoringChunk) {
            let rows = start..<min(start + Self.scoringChunk, data.count)
            let observations = try Tensor.rows(data.observations, width: data.observationWidth, rows)
            let actions = try Tensor.rows(data.actions, width: data.actionWidth, rows)
            if withLoss {
                let evaluation = try model.evaluateDecisions(
                    observations: observations, actions: actions, parameters: Tape().bindConstants(model.parameters))
                let (policyLoss, entropy) = try BehaviouralCloning.terms(evaluation)
                add("policy_loss", "0", Double(policyLoss.value.scalars[0]) * Double(rows.count), count: rows.count)
                add("policy_entropy", "0", Double(entropy.value.scalars[0]) * Double(rows.count), count: rows.count)
            }
            for (subStep, key) in cycle.keys.enumerated() {
                let offset = cycle.observationOffsets[subStep]
                let width = cycle.observationSpaces[subStep].flatCount
                let modes = try model.act(
                    subStep: subStep, observations: observations.columns(offset..<offset + width), deterministic: true,
                    random: &random
                ).actions
                let space = cycle.actionSpaces[subStep]
                for (entry, entryOffset) in zip(space, space.flatOffsets) {
                    let isBox = if case .box = entry.space { true } else { false }
                    let elements = entry.space.elementCount
                    let shownOffset = cycle.actionOffsets[subStep] + entryOffset
                    var deviation = 0.0
                    for (index, row) in rows.enumerated() {
                        for element in 0..<elements {
                            let mode = modes[index * space.flatCount + entryOffset + element]
                            let shown = data.actions[row * data.actionWidth + shownOffset + element]
                            deviation += isBox ? Double(abs(mode - shown)) : (mode == shown ? 1 : 0)
                        }
                    }
                    let event = isBox ? "box_mean_abs_deviation" : "discrete_accuracy"
                    add(event, "\(key)/\(entry.key)", deviation, count: rows.count * elements)
                }
            }
        }
        var stats = LogStats()
        for key in order {
            guard let sum = sums[key], sum.count > 0 else { continue }
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            stats.append(
                StatKey(prefix: prefix, topic: BehaviouralCloning.topic, event: parts[0], name: parts[1]),
                .number(sum.total / Double(sum.count)))
        }
        return stats
    }
}
