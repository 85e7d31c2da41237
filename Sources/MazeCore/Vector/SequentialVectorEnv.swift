/// The buffers and envs every vector environment shares; it steps its environments one after another
/// on the calling thread, and ``ThreadedVectorEnv`` overrides the stepping to use several threads.
package class BufferedVectorEnv: VectorEnv {
    let batch: EnvBatch

    init(batch: EnvBatch) { self.batch = batch }

    package var count: Int { batch.envs.count }
    package var envs: [any StructuredEnv] { batch.envs }
    package var observationSpace: DictSpace { batch.observationSpace }
    package var actionSpace: DictSpace { batch.actionSpace }
    package var observations: [Float] { batch.observations }
    package var finalObservations: [Float] { batch.finalObservations }
    package var actions: [Float] {
        get { batch.actions }
        _modify { yield &batch.actions }
        set { batch.actions = newValue }
    }
    package var rewards: [Float] { batch.rewards }
    package var terminated: [Bool] { batch.terminated }
    package var truncated: [Bool] { batch.truncated }

    package func reset(seed: UInt64) throws {
        batch.seedAll(seed)
        try batch.withBuffers { try batch.reset(0..<count, $0) }
    }

    package func step() throws {
        try batch.stepBatchSteppedEnvs()
        try batch.withBuffers { try batch.step(0..<count, $0) }
    }
}

/// A ``VectorEnv`` that steps its environments one after another on the calling thread.
package final class SequentialVectorEnv: BufferedVectorEnv {
    /// Fails unless every env is single-step, single-agent, with the same spaces.
    package init(envs: [any StructuredEnv]) throws(MazeError) {
        super.init(batch: try EnvBatch(envs: envs))
    }
}
