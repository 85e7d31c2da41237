import MazeService
import MazeTrain
import MazeWire

/// Stacks trajectory batches of `T` steps side by side into one learner `RolloutBuffer` of `T` steps and
/// `ΣB` envs, the layout the trainers expect (row `t · ΣB + b`).
///
/// The successor of a step is the next step's observation, or, where the episode ended, the batch's
/// `final_observation` row (the next observation is already the next episode's first); batches without that
/// tensor bootstrap truncated steps from the next episode's first state.
///
/// Flat batches are copied from their wire bytes straight into the rollout's storage, which `assemble` reuses
/// from one update to the next while the shapes stay the same: a steady state allocates no rollout.
///
/// Batches of a structured env (`sub_steps` S) become the buffer the dev runner's structured collector fills:
/// one row per cycle, the sub-steps' observations and actions side by side (zeros for sub-steps the cycle did not
/// play), rewards and log-probabilities summed over the cycle, the end flags of its last played sub-step, and the
/// first sub-step's successor observation (see `SubStepColumns`).
package enum RolloutAssembly {
    /// A new buffer of `batches`.
    package static func buffer(from batches: [TrajectoryBatch]) throws -> RolloutBuffer {
        var buffer: RolloutBuffer?
        return try assemble(batches, into: &buffer)
    }

    /// Assembles `batches` into `buffer`, reusing its storage when its shape fits (otherwise, or when `nil`, a
    /// new buffer is made and stored there); returns the assembled buffer.
    @discardableResult
    package static func assemble(_ batches: [TrajectoryBatch], into buffer: inout RolloutBuffer?) throws
        -> RolloutBuffer
    {
        guard let first = batches.first else { throw AdapterError.incompatibleBatches("no batches") }
        if let subSteps = first.subSteps {
            buffer = try cycleBuffer(from: batches, subSteps: subSteps)
        } else {
            try assembleFlat(batches, into: &buffer)
        }
        guard let assembled = buffer else { throw AdapterError.incompatibleBatches("no rollout was assembled") }
        return assembled
    }

    /// The flat layout: every batch's tensors checked, then copied into their columns of `buffer`.
    private static func assembleFlat(_ batches: [TrajectoryBatch], into buffer: inout RolloutBuffer?) throws {
        let first = batches[0]
        let steps = first.steps
        let observationWidth = try featureWidth(first.observations, ActorCriticActingPolicy.observationKey)
        let actionWidth = try featureWidth(first.actions, ActorCriticActingPolicy.actionKey)
        var envCount = 0
        for batch in batches {
            guard batch.steps == steps, batch.subSteps == nil,
                try featureWidth(batch.observations, ActorCriticActingPolicy.observationKey) == observationWidth,
                try featureWidth(batch.actions, ActorCriticActingPolicy.actionKey) == actionWidth
            else {
                throw AdapterError.incompatibleBatches(
                    "batch from \(batch.actorID) has \(batch.steps) steps, the first has \(steps), or different widths")
            }
            try Column.check(batch, observationWidth: observationWidth, actionWidth: actionWidth)
            let (sum, overflow) = envCount.addingReportingOverflow(batch.envs)
            guard !overflow else { throw AdapterError.incompatibleBatches("the batches' env counts overflow") }
            envCount = sum
        }
        var target: RolloutBuffer
        if let existing = buffer, existing.stepCount == steps, existing.envCount == envCount,
            existing.observationWidth == observationWidth, existing.actionWidth == actionWidth
        {
            target = existing
        } else {
            target = try RolloutBuffer(
                stepCount: steps, envCount: envCount, observationWidth: observationWidth, actionWidth: actionWidth)
        }
        // Released while it is written, so that the storage is not shared and is written in place.
        buffer = nil
        write(batches, into: &target)
        try recordInitialStates(of: batches, into: &target)
        buffer = target
    }

    /// Copies the (checked) batches into `buffer`'s columns, the first batch's envs first.
    private static func write(_ batches: [TrajectoryBatch], into buffer: inout RolloutBuffer) {
        let layout = Column.Layout(
            steps: buffer.stepCount, totalEnvs: buffer.envCount, observationWidth: buffer.observationWidth,
            actionWidth: buffer.actionWidth)
        buffer.withStorage { storage in
            var envOffset = 0
            for batch in batches {
                Column(batch: batch, envOffset: envOffset, layout: layout).write(into: storage)
                envOffset += batch.envs
            }
        }
    }

    /// The cycle rows of structured batches of `subSteps` sub-steps.
    private static func cycleBuffer(from batches: [TrajectoryBatch], subSteps: Int) throws -> RolloutBuffer {
        let first = batches[0]
        let widths = try SubStepColumns.Widths(first, subSteps: subSteps)
        let columns = try batches.map { batch in
            guard batch.steps == first.steps, batch.subSteps == subSteps,
                try SubStepColumns.Widths(batch, subSteps: subSteps) == widths
            else {
                let count = batch.subSteps.map(String.init) ?? "no"
                throw AdapterError.incompatibleBatches(
                    "batch from \(batch.actorID) has \(batch.steps) steps of \(count) sub-steps, "
                        + "the first has \(first.steps) of \(subSteps), or different widths")
            }
            return try SubStepColumns(batch, widths: widths)
        }
        var buffer = try RolloutBuffer(
            stepCount: first.steps, envCount: batches.reduce(0) { $0 + $1.envs }, observationWidth: widths.observation,
            actionWidth: widths.action)
        for step in 0..<first.steps {
            var rows = CycleRows()
            for column in columns { column.append(step: step, to: &rows) }
            buffer.recordDecision(
                step: step, observations: rows.observations, actions: rows.actions, logProbs: rows.logProbs)
            buffer.recordOutcome(
                step: step, rewards: rows.rewards, terminated: rows.terminated, truncated: rows.truncated,
                successors: rows.successors)
        }
        return buffer
    }

    /// Floats per row of tensor `name`: the product of the dimensions after `[T(+1), B]`.
    static func featureWidth(_ tensors: [String: WireTensor], _ name: String) throws -> Int {
        guard let tensor = tensors[name], tensor.dtype == .float32 else {
            throw AdapterError.incompatibleBatches("no f4 tensor '\(name)' (the service's actors send '\(name)')")
        }
        guard let width = WireTensor.checkedProduct(tensor.shape.dropFirst(2)) else {
            throw AdapterError.incompatibleBatches(
                "'\(name)' has feature dimensions \(Array(tensor.shape.dropFirst(2))) whose product overflows")
        }
        return width
    }

    /// One flat batch's place in the rollout: its envs are columns `envOffset..<envOffset + B` of every step.
    private struct Column {
        struct Layout {
            let steps: Int
            let totalEnvs: Int
            let observationWidth: Int
            let actionWidth: Int
        }

        let batch: TrajectoryBatch
        let envOffset: Int
        let layout: Layout

        /// Throws unless every tensor has the dtype and shape of a batch of `T` steps and `B` envs: `[T(+1), B]`
        /// followed by dimensions whose (overflow-checked) product is the row's width. Makes no arrays, so that a
        /// steady state allocates nothing here.
        static func check(_ batch: TrajectoryBatch, observationWidth: Int, actionWidth: Int) throws {
            let (steps, envs) = (batch.steps, batch.envs)
            func expect(
                _ tensor: WireTensor?, _ name: String, _ dtype: WireTensor.DType, steps rowSteps: Int, width: Int
            ) throws {
                guard let tensor else { throw AdapterError.incompatibleBatches("batch has no tensor '\(name)'") }
                let shape = tensor.shape
                guard tensor.dtype == dtype, shape.count >= 2, shape[0] == rowSteps, shape[1] == envs,
                    WireTensor.checkedProduct(shape.dropFirst(2)) == width
                else {
                    throw AdapterError.incompatibleBatches(
                        "'\(name)' of the batch from \(batch.actorID) is \(tensor.dtype.rawValue) \(tensor.shape), "
                            + "not \(dtype.rawValue) with the batch's \(steps) steps of \(envs) envs")
                }
            }
            let (observationKey, finalKey) = (
                ActorCriticActingPolicy.observationKey, ActorCriticActingPolicy.finalObservationKey
            )
            try expect(
                batch.observations[observationKey], observationKey, .float32, steps: steps + 1, width: observationWidth)
            if let finals = batch.observations[finalKey] {
                try expect(finals, finalKey, .float32, steps: steps + 1, width: observationWidth)
            }
            let actionKey = ActorCriticActingPolicy.actionKey
            try expect(batch.actions[actionKey], actionKey, .float32, steps: steps, width: actionWidth)
            try expect(batch.behaviourLogProbs, "behaviour_log_probs", .float32, steps: steps, width: 1)
            try expect(batch.rewards, "rewards", .float32, steps: steps, width: 1)
            try expect(batch.terminated, "terminated", .bool, steps: steps, width: 1)
            try expect(batch.truncated, "truncated", .bool, steps: steps, width: 1)
        }

        /// Copies every step's rows of this batch into its columns of `storage`; the successor of a row whose
        /// episode ended is its `final_observation` row when the batch has one.
        func write(into storage: RolloutBuffer.Storage) {
            let (envs, width, actionWidth) = (batch.envs, layout.observationWidth, layout.actionWidth)
            let observations = batch.observations[ActorCriticActingPolicy.observationKey]?.bytes ?? []
            let finals = batch.observations[ActorCriticActingPolicy.finalObservationKey]?.bytes
            let actions = batch.actions[ActorCriticActingPolicy.actionKey]?.bytes ?? []
            let (terminated, truncated) = (batch.terminated.bytes, batch.truncated.bytes)
            for step in 0..<layout.steps {
                let row = step * layout.totalEnvs + envOffset
                Self.copyFloats(
                    observations, from: step * envs * width, count: envs * width,
                    to: storage.observations, at: row * width)
                Self.copyFloats(
                    observations, from: (step + 1) * envs * width, count: envs * width,
                    to: storage.successorObservations, at: row * width)
                Self.copyFloats(
                    actions, from: step * envs * actionWidth, count: envs * actionWidth,
                    to: storage.actions, at: row * actionWidth)
                Self.copyFloats(
                    batch.behaviourLogProbs.bytes, from: step * envs, count: envs,
                    to: storage.behaviourLogProbs, at: row)
                Self.copyFloats(batch.rewards.bytes, from: step * envs, count: envs, to: storage.rewards, at: row)
                for env in 0..<envs {
                    let (isTerminated, isTruncated) = (
                        terminated[step * envs + env] != 0, truncated[step * envs + env] != 0
                    )
                    storage.terminated[row + env] = isTerminated
                    storage.truncated[row + env] = isTruncated
                    guard let finals, isTerminated || isTruncated else { continue }
                    Self.copyFloats(
                        finals, from: ((step + 1) * envs + env) * width, count: width,
                        to: storage.successorObservations, at: (row + env) * width)
                }
            }
        }

        /// Copies `count` little-endian floats starting at float `offset` of `bytes` to `destination[index...]`.
        private static func copyFloats(
            _ bytes: [UInt8], from offset: Int, count: Int, to destination: UnsafeMutableBufferPointer<Float>,
            at index: Int
        ) {
            let target = UnsafeMutableRawBufferPointer(
                UnsafeMutableBufferPointer(rebasing: destination[index..<index + count]))
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset * 4..<(offset + count) * 4]))
            }
        }
    }

    /// One step's cycle rows of every env, for `RolloutBuffer.recordDecision` and `recordOutcome`.
    struct CycleRows {
        var observations: [Float] = []
        var successors: [Float] = []
        var actions: [Float] = []
        var logProbs: [Float] = []
        var rewards: [Float] = []
        var terminated: [Bool] = []
        var truncated: [Bool] = []
    }
}
