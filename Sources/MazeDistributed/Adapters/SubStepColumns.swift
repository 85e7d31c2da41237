import MazeWire

/// One structured batch's tensors decoded to flat arrays, and the cycle rows the dev runner's structured
/// collector would have recorded for them (`StructuredEnvBatch.Decision`): the played sub-steps' observations and
/// actions side by side with zeros after the cycle's end, the sub-steps' rewards and log-probabilities summed in
/// sub-step order, the end flags of the last played sub-step, and the first sub-step's successor.
struct SubStepColumns {
    /// Floats per row of each sub-step's observation and action tensors, and of a cycle row.
    struct Widths: Equatable {
        let observations: [Int]
        let actions: [Int]
        let observation: Int
        let action: Int

        /// The widths of `batch`'s `observation_<k>` and `action_<k>` tensors; sums of sizes from the network are
        /// overflow-checked.
        init(_ batch: TrajectoryBatch, subSteps: Int) throws {
            observations = try (0..<subSteps).map { subStep in
                let name = ActorCriticActingPolicy.observationKey(subStep: subStep)
                return try RolloutAssembly.featureWidth(batch.observations, name)
            }
            actions = try (0..<subSteps).map { subStep in
                try RolloutAssembly.featureWidth(batch.actions, ActorCriticActingPolicy.actionKey(subStep: subStep))
            }
            observation = try Self.sum(observations)
            action = try Self.sum(actions)
        }

        private static func sum(_ widths: [Int]) throws -> Int {
            try widths.reduce(0) { total, width in
                let (sum, overflow) = total.addingReportingOverflow(width)
                guard !overflow else {
                    throw AdapterError.incompatibleBatches("the sub-steps' widths \(widths) overflow")
                }
                return sum
            }
        }
    }

    let envs: Int
    let subSteps: Int
    let widths: Widths
    let observations: [[Float]]
    let finals: [Float]?
    let actions: [[Float]]
    let logProbs: [Float]
    let rewards: [Float]
    let terminated: [Bool]
    let truncated: [Bool]
    /// Sub-steps played in each cycle, row `t · B + b`.
    let played: [Int]

    init(_ batch: TrajectoryBatch, widths: Widths) throws {
        envs = batch.envs
        subSteps = widths.observations.count
        self.widths = widths
        observations = try (0..<subSteps).map { subStep in
            let name = ActorCriticActingPolicy.observationKey(subStep: subStep)
            return try batch.observations[name]?.values(as: Float.self) ?? []
        }
        let final = try batch.observations[ActorCriticActingPolicy.finalObservationKey]?.values(as: Float.self)
        finals = final?.count == observations.first?.count ? final : nil
        actions = try (0..<subSteps).map { subStep in
            try batch.actions[ActorCriticActingPolicy.actionKey(subStep: subStep)]?.values(as: Float.self) ?? []
        }
        logProbs = try batch.behaviourLogProbs.values()
        rewards = try batch.rewards.values()
        terminated = try batch.terminated.bools()
        truncated = try batch.truncated.bools()
        played = try batch.playedSubSteps()
    }

    /// Appends step `step`'s cycle row of each of the batch's envs to `rows`.
    func append(step: Int, to rows: inout RolloutAssembly.CycleRows) {
        for env in 0..<envs {
            let row = step * envs + env
            let count = played[row]
            for subStep in 0..<subSteps {
                let played = subStep < count
                rows.observations += part(
                    of: observations[subStep], row: row, width: widths.observations[subStep], if: played)
                rows.actions += part(of: actions[subStep], row: row, width: widths.actions[subStep], if: played)
            }
            var (logProb, reward): (Float, Float) = (0, 0)
            for subStep in 0..<count {
                logProb += logProbs[row * subSteps + subStep]
                reward += rewards[row * subSteps + subStep]
            }
            let end = row * subSteps + count - 1
            rows.logProbs.append(logProb)
            rows.rewards.append(reward)
            rows.terminated.append(terminated[end])
            rows.truncated.append(truncated[end])
            let ended = terminated[end] || truncated[end]
            let successors = ended ? finals ?? observations[0] : observations[0]
            rows.successors += part(of: successors, row: row + envs, width: widths.observations[0])
            rows.successors += [Float](repeating: 0, count: widths.observation - widths.observations[0])
        }
    }

    /// Row `row` of a `[rows, width]` array, or zeros where the sub-step was not played.
    private func part(of values: [Float], row: Int, width: Int, if played: Bool = true) -> ArraySlice<Float> {
        played ? values[row * width..<(row + 1) * width] : ArraySlice(repeating: 0, count: width)
    }
}
