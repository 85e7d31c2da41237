import MazeWire

/// What every `TrajectoryBatch` of one experiment must look like, derived from the experiment's spaces and
/// algorithm: the step count, bounds on the env count, the sub-step count of a structured env, the tensor names
/// with their dtypes and feature shapes, the values each action column may take (with its action mask), and
/// finite floats everywhere.
///
/// The learner checks each batch against it at ingress, before the batch is queued, so a batch the algorithm
/// cannot use is a counted rejection (`schema`, `non_finite`, `invalid_action`) instead of a failed update.
/// Checking compares shapes element by element and never multiplies network sizes. A value type; any thread.
public struct BatchSchema: Sendable, Equatable {
    /// The dtype and the shape after the leading `[T(+1), B]` of a named tensor.
    public struct Feature: Sendable, Equatable {
        public var dtype: WireTensor.DType
        public var shape: [Int]

        public init(dtype: WireTensor.DType, shape: [Int]) {
            self.dtype = dtype
            self.shape = shape
        }
    }

    /// The values one column of an action tensor may take.
    public enum ActionColumn: Sendable, Equatable {
        /// An integer index `0..<count` (Discrete, one entry of MultiDiscrete), written as a float; when
        /// `mask` is given, the observation columns at `mask` (one per index, of the tensor `maskTensor`) must be
        /// non-zero at the chosen index.
        case index(count: Int, maskTensor: String? = nil, mask: Range<Int>? = nil)
        /// 0 or 1 (MultiBinary).
        case binary
        /// Any finite value (Box: the env clips).
        case real
        /// A value within `low...high` (a Box's bounds, for a policy whose actions are bounded, e.g. SAC's squashed
        /// Gaussian); rounding at the bounds is allowed for.
        case bounded(low: Float, high: Float)
    }

    /// `T`, the algorithm's `n_rollout_steps`.
    public var steps: Int
    /// `S`, the sub-steps per cycle of a structured env; `nil` for flat batches (docs/PROTOCOL.md 4.1.2).
    public var subSteps: Int?
    /// For each action tensor of a structured batch, the sub-step whose actions it holds: its rows in cycles that
    /// ended before that sub-step were not played and are not checked.
    public var actionSubSteps: [String: Int]
    /// The env counts a batch may carry.
    public var envs: ClosedRange<Int>
    /// Observation tensors every batch must have, `[T+1, B, …]`.
    public var observations: [String: Feature]
    /// Observation tensors a batch may have; when present they must match.
    public var optionalObservations: [String: Feature]
    /// Action tensors every batch must have, `[T, B, …]`.
    public var actions: [String: Feature]
    /// For each action tensor, its columns (the flattened feature shape) in order.
    public var actionColumns: [String: [ActionColumn]]
    /// Floats of recurrent state per env each batch must carry in `initial_state` (`f4 [B, S]`), for a recurrent
    /// policy; 0 for a feed-forward one, whose batches carry none.
    public var initialStateWidth = 0

    /// The most envs one batch may carry: far above what one actor steps, far below what would make the
    /// learner's rollout buffer a memory hazard.
    public static let maxEnvs = 4_096

    public init(
        steps: Int, envs: ClosedRange<Int> = 1...maxEnvs, subSteps: Int? = nil, observations: [String: Feature],
        optionalObservations: [String: Feature] = [:], actions: [String: Feature],
        actionColumns: [String: [ActionColumn]], actionSubSteps: [String: Int] = [:]
    ) {
        self.steps = steps
        self.subSteps = subSteps
        self.actionSubSteps = actionSubSteps
        self.envs = envs
        self.observations = observations
        self.optionalObservations = optionalObservations
        self.actions = actions
        self.actionColumns = actionColumns
    }

    /// The first problem of `batch`, or `nil` if it fits: shapes, names and the sub-step layout first (`schema`),
    /// then floats (`non_finite`), then action values (`invalid_action`).
    func violation(of batch: TrajectoryBatch) -> BatchViolation? {
        if let problem = shapeProblem(batch) ?? subStepProblem(batch) {
            return BatchViolation(reason: .schema, detail: problem)
        }
        if let problem = nonFiniteProblem(batch) { return BatchViolation(reason: .nonFinite, detail: problem) }
        if let problem = actionProblem(batch) { return BatchViolation(reason: .invalidAction, detail: problem) }
        return nil
    }

    // MARK: Shapes

    private func shapeProblem(_ batch: TrajectoryBatch) -> String? {
        guard batch.steps == steps else {
            return "steps is \(batch.steps), the experiment's n_rollout_steps is \(steps)"
        }
        guard envs.contains(batch.envs) else {
            return "envs is \(batch.envs), a batch carries \(envs.lowerBound)...\(envs.upperBound) envs"
        }
        guard batch.subSteps == subSteps else {
            let expected =
                subSteps.map { "\($0) sub-steps per cycle" } ?? "no sub_steps (the env has one step per decision)"
            return "sub_steps is \(batch.subSteps.map(String.init) ?? "absent"), the experiment's env needs \(expected)"
        }
        return Self.problem(
            in: batch.observations, "observations", required: observations, leading: [steps + 1, batch.envs])
            ?? Self.problem(
                in: batch.observations, "observations", optional: optionalObservations,
                leading: [steps + 1, batch.envs])
            ?? Self.problem(in: batch.actions, "actions", required: actions, leading: [steps, batch.envs])
            ?? initialStateProblem(batch)
    }

    /// A recurrent experiment's batches carry `initial_state` `f4 [B, initialStateWidth]`; others carry none.
    private func initialStateProblem(_ batch: TrajectoryBatch) -> String? {
        guard initialStateWidth > 0 else {
            return batch.initialState == nil ? nil : "initial_state is for recurrent policies; this one has no state"
        }
        guard let state = batch.initialState else {
            return "initial_state is missing: the policy is recurrent (\(initialStateWidth) floats of state per env)"
        }
        return Self.problem(
            state, "initial_state", Feature(dtype: .float32, shape: [initialStateWidth]), leading: [batch.envs])
    }

    private static func problem(
        in tensors: [String: WireTensor], _ field: String, required: [String: Feature], leading: [Int]
    ) -> String? {
        for (name, feature) in required.sorted(by: { $0.key < $1.key }) {
            guard let tensor = tensors[name] else {
                return
                    "\(field) has no '\(name)' (it has \(tensors.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")))"
            }
            if let problem = problem(tensor, "\(field).\(name)", feature, leading: leading) { return problem }
        }
        return nil
    }

    private static func problem(
        in tensors: [String: WireTensor], _ field: String, optional: [String: Feature], leading: [Int]
    ) -> String? {
        for (name, feature) in optional.sorted(by: { $0.key < $1.key }) {
            guard let tensor = tensors[name] else { continue }
            if let problem = problem(tensor, "\(field).\(name)", feature, leading: leading) { return problem }
        }
        return nil
    }

    private static func problem(_ tensor: WireTensor, _ field: String, _ feature: Feature, leading: [Int]) -> String? {
        guard tensor.dtype == feature.dtype else {
            return "\(field) is \(tensor.dtype.rawValue), it must be \(feature.dtype.rawValue)"
        }
        guard tensor.shape == leading + feature.shape else {
            return "\(field) has shape \(tensor.shape), it must be \(leading + feature.shape)"
        }
        return nil
    }

    // MARK: Finite values

    private func nonFiniteProblem(_ batch: TrajectoryBatch) -> String? {
        var tensors: [(String, WireTensor)] = [
            ("rewards", batch.rewards), ("behaviour_log_probs", batch.behaviourLogProbs),
        ]
        tensors += batch.observations.map { ("observations.\($0.key)", $0.value) }
        tensors += batch.actions.map { ("actions.\($0.key)", $0.value) }
        tensors += (batch.behaviourLogits ?? [:]).map { ("behaviour_logits.\($0.key)", $0.value) }
        tensors += batch.initialState.map { [("initial_state", $0)] } ?? []
        if let (field, _) = tensors.sorted(by: { $0.0 < $1.0 }).first(where: { !$0.1.isFinite }) {
            return "\(field) holds a NaN or an infinity"
        }
        if let index = batch.episodes.firstIndex(where: {
            !$0.episodeReturn.isFinite || $0.kpis.values.contains { !$0.isFinite }
        }) {
            return "episodes[\(index)] has a return or KPI that is not finite"
        }
        return nil
    }

    // MARK: Action values

    private func actionProblem(_ batch: TrajectoryBatch) -> String? {
        let played = (try? batch.playedSubSteps()) ?? []
        for (name, columns) in actionColumns.sorted(by: { $0.key < $1.key }) {
            guard let tensor = batch.actions[name], let values = try? tensor.values(as: Float.self) else { continue }
            let width = columns.count
            guard width > 0 else { continue }
            let subStep = actionSubSteps[name] ?? 0
            for row in 0..<values.count / width where played.isEmpty || subStep < played[row] {
                for (column, allowed) in columns.enumerated() {
                    let value = values[row * width + column]
                    if let problem = problem(value, allowed, row: row, batch: batch) {
                        return
                            "actions.\(name)[\(row / batch.envs), \(row % batch.envs), \(column)] = \(value): \(problem)"
                    }
                }
            }
        }
        return nil
    }

    /// Why `value` may not stand in a column that allows `allowed`, for the action at flat row `row` (`t · B + b`).
    private func problem(_ value: Float, _ allowed: ActionColumn, row: Int, batch: TrajectoryBatch) -> String? {
        switch allowed {
        case .real:
            return nil
        case .bounded(let low, let high):
            let slack = 1e-5 * max(1, high - low)
            return value >= low - slack && value <= high + slack ? nil : "must lie in [\(low), \(high)]"
        case .binary:
            return value == 0 || value == 1 ? nil : "must be 0 or 1"
        case .index(let count, let maskTensor, let mask):
            guard value == value.rounded(), value >= 0, value < Float(count) else {
                return "must be an integer in 0..<\(count)"
            }
            guard let maskTensor, let mask, let observations = batch.observations[maskTensor] else { return nil }
            // Row t·B + b of the observations is the state the action was chosen in.
            let width = observations.shape.last ?? 0
            let offset = (row * width + mask.lowerBound + Int(value)) * MemoryLayout<Float>.size
            guard offset + MemoryLayout<Float>.size <= observations.bytes.count else { return nil }
            let allowedByMask =
                observations.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Float.self) } != 0
            return allowedByMask ? nil : "the action mask '\(maskTensor)' does not allow it"
        }
    }
}

extension BatchSchema {
    /// Why the sub-step entries of a structured `batch` do not form cycles: after the sub-step that ended an
    /// episode, the cycle's remaining sub-steps were not played and must hold no reward, log-probability or end.
    fileprivate func subStepProblem(_ batch: TrajectoryBatch) -> String? {
        guard let subSteps = batch.subSteps, let played = try? batch.playedSubSteps(),
            let rewards = try? batch.rewards.values(as: Float.self),
            let logProbs = try? batch.behaviourLogProbs.values(as: Float.self),
            let terminated = try? batch.terminated.bools(), let truncated = try? batch.truncated.bools()
        else { return nil }
        for (row, count) in played.enumerated() {
            for subStep in count..<subSteps {
                let index = row * subSteps + subStep
                guard rewards[index] == 0, logProbs[index] == 0, !terminated[index], !truncated[index] else {
                    let cycle = "[\(row / batch.envs), \(row % batch.envs)]"
                    return "sub-step \(subStep) of cycle \(cycle) follows the end of its episode at sub-step "
                        + "\(count - 1): it must have no reward, log-probability, terminated or truncated"
                }
            }
        }
        return nil
    }
}

/// Why a batch does not fit its experiment's `BatchSchema`.
struct BatchViolation: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rejection reason the batch counts under.
    var reason: RejectionReason
    /// What is wrong, naming the field.
    var detail: String

    public var description: String { "\(reason.rawValue): \(detail)" }
}
