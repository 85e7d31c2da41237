/// A record of the operations of one forward pass, replayed in reverse to compute gradients.
///
/// The caller owns the tape: there is no global graph, so each thread can run its own forward and
/// backward passes. `reset()` forgets the recorded operations but keeps their buffers for the next
/// pass, which is how a training loop avoids allocating per operation.
///
/// Operations on constants only record no backward step, so a tape fed with `constant`s is also a
/// cheap no-gradient path for arbitrary computations (with its buffers reused across `reset()`s).
///
/// Recording allocates nothing in a steady state either: a node is a fixed ``Operation`` record (its inputs and
/// small parameters inline) and a backward function that captures nothing, kept in arrays whose capacity survives
/// `reset()`; the values the backward step reads are the nodes' own values.
public final class Tape {
    /// Adds the gradient of the node of `operation` (`upstream`) into the gradients of its inputs. The operations
    /// of the hot path pass closures that capture nothing (their state is in `operation`), which costs no
    /// allocation; rarer ones (convolution, LSTM, concatenation) capture what they need.
    typealias Backward = (_ tape: Tape, _ operation: Operation, _ upstream: Tensor) -> Void

    private var values: [Tensor] = []
    private var gradients: [Tensor?] = []
    private var operations: [Operation] = []
    private var backwards: [BackwardStep?] = []
    private var tracksGradient: [Bool] = []
    /// Whether the node's value was allocated by the tape (and may be recycled), not handed in by the caller.
    private var ownsValue: [Bool] = []
    /// The shape each node had in the last pass that reached it, handed out again by ``resultShape(rank:_:)`` where
    /// it repeats.
    private var previousShapes: [[Int]] = []
    /// The different shape each node had before that, so that passes of two sizes (full minibatches and a smaller
    /// last one) each find theirs.
    private var alternateShapes: [[Int]] = []
    /// Offsets operations saved for their backward step (a gather's sources, a max's winners), by slot.
    private var savedOffsets: [[Int]] = []
    private var generation = 0
    private var pool = BufferPool<Float>()
    /// See ``recycle(_:)``.
    private var recycledStore: ParameterStore?
    /// See ``sideTape``.
    private var side: Tape?
    private var offsetPool = BufferPool<Int>()

    /// An empty tape.
    public init() {}

    /// A tape of its own for passes without gradient that interleave with this tape's training passes (a critic's
    /// bootstrap values before each update's minibatches): each keeps the shapes and buffers of its own previous
    /// pass, where sharing one tape would hand each pass the other's and allocate anew on every update. Made on first
    /// use; same threading contract as this tape.
    public var sideTape: Tape {
        if let side { return side }
        let made = Tape()
        side = made
        return made
    }

    /// Records `value` as an input whose gradient is wanted (a parameter).
    public func parameter(_ value: Tensor) -> Variable {
        append(value, tracksGradient: true, ownsValue: false, operation: Operation(), backward: nil)
    }

    /// Records `value` as an input without gradient (observations, targets, masks turned into tensors).
    public func constant(_ value: Tensor) -> Variable {
        append(value, tracksGradient: false, ownsValue: false, operation: Operation(), backward: nil)
    }

    /// Records the rank-0 constant `scalar` in a buffer of the tape's pool (no allocation once the pool has one).
    func constant(_ scalar: Float) -> Variable {
        var buffer = pool.take(count: 1)
        buffer[0] = scalar
        return append(
            Tensor(uncheckedShape: [], scalars: buffer), tracksGradient: false, ownsValue: true,
            operation: Operation(), backward: nil)
    }

    /// Records the vector `scalars` as a `[scalars.count]` constant sharing its storage (per-row targets): unlike
    /// `constant(Tensor(scalars))` it makes no shape array once the tape has recorded the same shape before.
    public func constant(vector scalars: [Float]) -> Variable {
        let count = scalars.count
        return append(
            Tensor(uncheckedShape: resultShape(rank: 1) { _ in count }, scalars: scalars), tracksGradient: false,
            ownsValue: false, operation: Operation(), backward: nil)
    }

    /// Records the row-major `scalars` as a `[scalars.count / width, width]` constant sharing their storage (a whole
    /// rollout's observations), without a shape array once the tape has recorded the same shape before.
    public func constant(rows scalars: [Float], width: Int) throws(TensorError) -> Variable {
        guard width > 0, scalars.count % width == 0 else {
            throw .invalidArgument("\(scalars.count) scalars are not rows of width \(width)")
        }
        let rows = scalars.count / width
        return append(
            Tensor(uncheckedShape: resultShape(rank: 2) { $0 == 0 ? rows : width }, scalars: scalars),
            tracksGradient: false, ownsValue: false, operation: Operation(), backward: nil)
    }

    /// Records `rows` of the row-major `[_, width]` buffer `flat` as a `[rows.count, width]` constant (a minibatch's
    /// observations or actions), gathered into a buffer of the tape's pool: no allocation once the pool has one.
    /// Throws `invalidArgument` for a row outside `flat`.
    public func constant(gathering rows: ArraySlice<Int>, width: Int, of flat: [Float]) throws(TensorError)
        -> Variable
    {
        append(
            try gathered(rows, width: width, of: flat, rank: 2), tracksGradient: false, ownsValue: true,
            operation: Operation(), backward: nil)
    }

    /// Records the elements `indices` of `flat` as a `[indices.count]` constant (a minibatch's targets), gathered
    /// into a buffer of the tape's pool like ``constant(gathering:width:of:)``.
    public func constant(gathering indices: ArraySlice<Int>, of flat: [Float]) throws(TensorError) -> Variable {
        append(
            try gathered(indices, width: 1, of: flat, rank: 1), tracksGradient: false, ownsValue: true,
            operation: Operation(), backward: nil)
    }

    /// `rows` of `flat` copied into a pool buffer, shaped `[rows.count, width]` (rank 2) or `[rows.count]` (rank 1).
    private func gathered(_ rows: ArraySlice<Int>, width: Int, of flat: [Float], rank: Int) throws(TensorError)
        -> Tensor
    {
        let rowCount = rows.count
        guard width > 0, flat.count % width == 0 else {
            throw .invalidArgument("cannot read rows of width \(width) from \(flat.count) scalars")
        }
        let available = flat.count / width
        if let bad = rows.first(where: { !(0..<available).contains($0) }) {
            throw .invalidArgument("row \(bad) is outside the \(available) rows to gather from")
        }
        var buffer = pool.take(count: rowCount * width)
        buffer.withUnsafeMutableBufferPointer { destination in
            flat.withUnsafeBufferPointer { source in
                var offset = 0
                for row in rows {
                    let start = row * width
                    for column in 0..<width { destination[offset + column] = source[start + column] }
                    offset += width
                }
            }
        }
        let shape = resultShape(rank: rank) { $0 == 0 ? rowCount : width }
        return Tensor(uncheckedShape: shape, scalars: buffer)
    }

    /// Forgets every node; variables recorded so far become invalid. Buffers are kept for reuse.
    public func reset() {
        for index in values.indices where ownsValue[index] {
            pool.recycle(values[index].scalars)
        }
        for gradient in gradients {
            if let gradient { pool.recycle(gradient.scalars) }
        }
        for (node, value) in values.enumerated() {
            if node == previousShapes.count {
                previousShapes.append(value.shape)
                alternateShapes.append(value.shape)
            } else if previousShapes[node] != value.shape {
                alternateShapes[node] = previousShapes[node]
                previousShapes[node] = value.shape
            }
        }
        for offsets in savedOffsets { offsetPool.recycle(offsets) }
        savedOffsets.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        gradients.removeAll(keepingCapacity: true)
        operations.removeAll(keepingCapacity: true)
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
            backward.run(self, operations[id], upstream)
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
    ///
    /// The emptied store itself is kept for ``BoundParameters/takeGradients()`` to fill again, so that a training
    /// step builds no store.
    public func recycle(_ store: consuming ParameterStore) {
        var store = store
        for name in store.names {
            guard let tensor = store[name] else { continue }
            // The store lets go of the buffer first, so that the pool holds the only reference.
            store[name] = Self.emptyTensor
            pool.recycle(tensor.scalars)
        }
        recycledStore = store
    }

    /// The store the last ``recycle(_:)`` emptied if it had exactly `names`, for its dictionary to be filled
    /// again without allocating; otherwise a new store.
    func takeRecycledStore(names: [String]) -> ParameterStore {
        let store = recycledStore
        recycledStore = nil
        guard let store, store.names == names else { return ParameterStore() }
        return store
    }

    /// What a recycled store holds in place of its buffers.
    private static let emptyTensor = Tensor(uncheckedShape: [0], scalars: [])

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

    /// The value of node `id` (an input or the result of an operation, read by its backward step).
    func value(of id: Int) -> Tensor {
        values[id]
    }

    /// Nodes the tape can hold without growing its own bookkeeping (every per-node array has at least this
    /// capacity): constant over passes that record no more nodes than an earlier one since the tape was made.
    public var nodeCapacity: Int {
        Swift.min(
            values.capacity, gradients.capacity, operations.capacity, backwards.capacity, tracksGradient.capacity,
            ownsValue.capacity)
    }

    /// A buffer for an operation's result; its contents are unspecified until the operation writes it.
    func makeBuffer(count: Int) -> [Float] {
        pool.take(count: count)
    }

    /// Keeps `count` offsets that `fill` writes (all of them) for an operation's backward step, in a buffer of the
    /// tape's pool; returns the slot to record in the operation and to read them back with ``savedOffsets(_:)``.
    func saveOffsets(count: Int, _ fill: (UnsafeMutableBufferPointer<Int>) -> Void) -> Int {
        var offsets = offsetPool.take(count: count)
        offsets.withUnsafeMutableBufferPointer { fill($0) }
        savedOffsets.append(offsets)
        return savedOffsets.count - 1
    }

    /// The offsets saved in `slot` by ``saveOffsets(count:_:)`` since the last `reset()`.
    func savedOffsets(_ slot: Int) -> [Int] {
        savedOffsets[slot]
    }

    /// The shape of the result of the operation about to be recorded: `rank` dimensions, `dimension(axis)` each.
    /// The shape of the node recorded at the same place in an earlier pass is handed out again when it is equal (a
    /// training loop repeats its passes), so that a steady state allocates no shape arrays.
    func resultShape(rank: Int, _ dimension: (_ axis: Int) -> Int) -> [Int] {
        let node = values.count
        func matches(_ shape: [Int]) -> Bool {
            shape.count == rank && (0..<rank).allSatisfy { shape[$0] == dimension($0) }
        }
        if node < previousShapes.count {
            if matches(previousShapes[node]) { return previousShapes[node] }
            if matches(alternateShapes[node]) { return alternateShapes[node] }
        }
        return (0..<rank).map(dimension)
    }

    /// Returns scratch memory an operation no longer needs to the pool.
    func recycle(_ buffer: [Float]) {
        pool.recycle(buffer)
    }

    /// Appends an operation's result. `backward` is kept only if some input of `operation` tracks gradients.
    func record(_ value: Tensor, _ operation: Operation, backward: @escaping Backward) -> Variable {
        append(
            value, tracksGradient: tracks(operation), ownsValue: true, operation: operation,
            backward: BackwardStep(run: backward))
    }

    /// Appends the result of an operation on any number of `inputs` (concatenation, convolution, LSTM), whose
    /// backward step captures what it needs; `backward` is kept only if some input tracks gradients.
    func record(_ value: Tensor, inputs: [Variable], backward: @escaping Backward) -> Variable {
        let tracks = inputs.contains { tracksGradient[$0.id] }
        return append(
            value, tracksGradient: tracks, ownsValue: true, operation: Operation(),
            backward: BackwardStep(run: backward))
    }

    /// Appends a result that shares storage with a caller's tensor (reshape of an input, stop-gradient).
    func recordShared(_ value: Tensor, _ operation: Operation, backward: @escaping Backward) -> Variable {
        append(
            value, tracksGradient: tracks(operation), ownsValue: false, operation: operation,
            backward: BackwardStep(run: backward))
    }

    private func tracks(_ operation: Operation) -> Bool {
        let (first, second, third) = operation.inputs
        return (first >= 0 && tracksGradient[first]) || (second >= 0 && tracksGradient[second])
            || (third >= 0 && tracksGradient[third])
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

    private func append(
        _ value: Tensor, tracksGradient tracks: Bool, ownsValue owns: Bool, operation: Operation,
        backward: BackwardStep?
    ) -> Variable {
        var operation = operation
        operation.node = values.count
        values.append(value)
        gradients.append(nil)
        operations.append(operation)
        backwards.append(tracks ? backward : nil)
        tracksGradient.append(tracks)
        ownsValue.append(owns)
        return Variable(tape: self, id: values.count - 1, generation: generation, value: value)
    }
}

/// A node's backward function, wrapped so that the tape's array holds it as it is: an array of bare (or optional)
/// functions would store each behind a reabstraction thunk, allocated per node.
struct BackwardStep {
    let run: Tape.Backward
}
