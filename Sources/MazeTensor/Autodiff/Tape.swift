/// A record of the operations of one forward pass, replayed in reverse to compute gradients.
///
/// The caller owns the tape: there is no global graph, so each thread can run its own forward and
/// backward passes. `reset()` forgets the recorded operations but keeps their buffers for the next
/// pass, which is how a training loop avoids allocating per operation.
///
/// Operations on constants only record no backward step, so a tape fed with `constant`s is also a
/// cheap no-gradient path for arbitrary computations (with its buffers reused across `reset()`s).
public final class Tape {
    /// Adds the gradient of a node (`upstream`) into the gradients of that node's inputs.
    typealias Backward = (_ tape: Tape, _ upstream: Tensor) -> Void

    private var values: [Tensor] = []
    private var gradients: [Tensor?] = []
    private var backwards: [Backward?] = []
    private var tracksGradient: [Bool] = []
    /// Whether the node's value was allocated by the tape (and may be recycled), not handed in by the caller.
    private var ownsValue: [Bool] = []
    private var generation = 0
    private var pool = BufferPool()

    /// An empty tape.
    public init() {}

    /// Records `value` as an input whose gradient is wanted (a parameter).
    public func parameter(_ value: Tensor) -> Variable {
        append(value, tracksGradient: true, ownsValue: false, backward: nil)
    }

    /// Records `value` as an input without gradient (observations, targets, masks turned into tensors).
    public func constant(_ value: Tensor) -> Variable {
        append(value, tracksGradient: false, ownsValue: false, backward: nil)
    }

    /// Forgets every node; variables recorded so far become invalid. Buffers are kept for reuse.
    public func reset() {
        for index in values.indices where ownsValue[index] {
            pool.recycle(values[index].scalars)
        }
        for gradient in gradients {
            if let gradient { pool.recycle(gradient.scalars) }
        }
        values.removeAll(keepingCapacity: true)
        gradients.removeAll(keepingCapacity: true)
        backwards.removeAll(keepingCapacity: true)
        tracksGradient.removeAll(keepingCapacity: true)
        ownsValue.removeAll(keepingCapacity: true)
        generation += 1
    }

    /// Computes the gradient of the scalar `loss` with respect to every node it depends on;
    /// gradients add up over repeated calls until `reset()`.
    public func backward(from loss: Variable) throws(TensorError) {
        try check(loss)
        guard loss.value.scalarCount == 1 else { throw .nonScalarLoss(shape: loss.shape) }
        guard tracksGradient[loss.id] else { return }
        accumulate(into: loss.id) { $0[0] += 1 }
        for id in stride(from: loss.id, through: 0, by: -1) {
            guard let backward = backwards[id], let upstream = gradients[id] else { continue }
            backward(self, upstream)
        }
    }

    /// The gradient accumulated for `variable`: zeros if backward never reached it, nil if it does not
    /// track gradients (constants and results computed from constants only).
    public func gradient(of variable: Variable) throws(TensorError) -> Tensor? {
        try check(variable)
        guard tracksGradient[variable.id] else { return nil }
        return gradients[variable.id]
            ?? Tensor(uncheckedShape: variable.shape, scalars: [Float](repeating: 0, count: variable.value.scalarCount))
    }

    /// Like ``gradient(of:)``, but the tape gives the buffer up: the caller holds the only reference and can
    /// scale it in place without a copy. Hand it back with ``recycle(_:)`` when done.
    public func takeGradient(of variable: Variable) throws(TensorError) -> Tensor? {
        let gradient = try self.gradient(of: variable)
        gradients[variable.id] = nil
        return gradient
    }

    /// Returns the buffers of `store` (gradients taken with ``takeGradient(of:)``) to the pool, so the next pass
    /// reuses them instead of allocating. Safe for any store: a buffer still shared elsewhere is copied before
    /// it is ever written (copy-on-write).
    public func recycle(_ store: consuming ParameterStore) {
        for name in store.names {
            if let tensor = store[name] { pool.recycle(tensor.scalars) }
        }
    }

    /// Scalar buffers the tape had to allocate because its pool had none of the size: 0 over a pass that repeats
    /// the shapes of an earlier one since the last `reset()` (the steady state of a training loop).
    public var allocatedBufferCount: Int { pool.allocations }

    // MARK: - For operations

    /// The number of `reset()`s so far: variables of another generation are stale.
    var currentGeneration: Int { generation }

    /// The variable of node `node`, recorded in `generation`; `foreignVariable` once the tape was reset.
    func recorded(node: Int, generation: Int) throws(TensorError) -> Variable {
        guard generation == self.generation, node < values.count else { throw .foreignVariable }
        return Variable(tape: self, id: node, generation: generation, value: values[node])
    }

    func check(_ variable: Variable) throws(TensorError) {
        guard variable.tape === self, variable.generation == generation, variable.id < values.count else {
            throw .foreignVariable
        }
    }

    /// Whether gradients flow to `variable` (an operation skips work its backward pass will not need).
    func tracksGradient(of variable: Variable) -> Bool {
        tracksGradient[variable.id]
    }

    /// A buffer for an operation's result; its contents are unspecified until the operation writes it.
    func makeBuffer(count: Int) -> [Float] {
        pool.take(count: count)
    }

    /// Returns scratch memory an operation no longer needs to the pool.
    func recycle(_ buffer: [Float]) {
        pool.recycle(buffer)
    }

    /// Appends an operation's result. `backward` is kept only if some input tracks gradients.
    func record(_ value: Tensor, inputs: [Variable], backward: @escaping Backward) -> Variable {
        let tracks = inputs.contains { tracksGradient[$0.id] }
        return append(value, tracksGradient: tracks, ownsValue: true, backward: tracks ? backward : nil)
    }

    /// Appends a result that shares storage with a caller's tensor (reshape of an input, stop-gradient).
    func recordShared(_ value: Tensor, inputs: [Variable], backward: @escaping Backward) -> Variable {
        let tracks = inputs.contains { tracksGradient[$0.id] }
        return append(value, tracksGradient: tracks, ownsValue: false, backward: tracks ? backward : nil)
    }

    /// Lets `body` add into the gradient buffer of `id` (created as zeros on first use).
    /// Does nothing for nodes that do not track gradients.
    func accumulate(into id: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard tracksGradient[id] else { return }
        if gradients[id] == nil {
            gradients[id] = Tensor(
                uncheckedShape: values[id].shape, scalars: pool.takeZeroed(count: values[id].scalarCount))
        }
        gradients[id]!.withUnsafeMutableScalars { body($0) }
    }

    /// Like `accumulate`, for gemm-based gradients: `body` receives the beta to pass to the gemm,
    /// 0 when the buffer is new (so it is neither zeroed first nor read) and 1 when adding to it.
    func accumulateProduct(into id: Int, _ body: (UnsafeMutableBufferPointer<Float>, _ beta: Float) -> Void) {
        guard tracksGradient[id] else { return }
        let beta: Float = gradients[id] == nil ? 0 : 1
        if beta == 0 {
            gradients[id] = Tensor(uncheckedShape: values[id].shape, scalars: pool.take(count: values[id].scalarCount))
        }
        gradients[id]!.withUnsafeMutableScalars { body($0, beta) }
    }

    private func append(_ value: Tensor, tracksGradient tracks: Bool, ownsValue owns: Bool, backward: Backward?)
        -> Variable
    {
        values.append(value)
        gradients.append(nil)
        backwards.append(backward)
        tracksGradient.append(tracks)
        ownsValue.append(owns)
        return Variable(tape: self, id: values.count - 1, generation: generation, value: value)
    }
}
