/// The buffers and envs every vector environment shares; it steps its environments one after another
/// on the calling thread, and ``ThreadedVectorEnv`` overrides the stepping to use several threads.
public class BufferedVectorEnv: VectorEnv {
    let batch: EnvBatch

    init(batch: EnvBatch) { self.batch = batch }

    public var count: Int { batch.envs.count }
    public var envs: [any StructuredEnv] { batch.envs }
    public var observationSpace: DictSpace { batch.observationSpace }
    public var actionSpace: DictSpace { batch.actionSpace }
    public var observations: [Float] { batch.observations }
    public var finalObservations: [Float] { batch.finalObservations }
    public var actions: [Float] {
        get { batch.actions }
        _modify { yield &batch.actions }
        set { batch.actions = newValue }
    }
    public var rewards: [Float] { batch.rewards }
    public var terminated: [Bool] { batch.terminated }
    public var truncated: [Bool] { batch.truncated }

    public func reset(seed: UInt64) throws {
        batch.seedAll(seed)
        try batch.withBuffers { try batch.reset(0..<count, $0) }
    }

    public func step() throws {
        try batch.stepBatchSteppedEnvs()
        try batch.withBuffers { try batch.step(0..<count, $0) }
    }
}

/// A ``VectorEnv`` that steps its environments one after another on the calling thread.
public final class SequentialVectorEnv: BufferedVectorEnv {
    /// Fails unless every env is single-step, single-agent, with the same spaces.
    public init(envs: [any StructuredEnv]) throws(MazeError) {
        super.init(batch: try EnvBatch(envs: envs))
    }
}
