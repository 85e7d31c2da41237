extension Variable {
    /// Picks elements along `axis` at `indices` (as `torch.gather`): `indices` has this tensor's shape
    /// except along `axis`, and the result has the shape of `indices`. Used for the log-probability of
    /// taken actions: `logProbabilities.gather(alongAxis: 1, indices: actions)` with actions of shape `[B, 1]`.
    public func gather(alongAxis axis: Int, indices: IndexTensor) throws(TensorError) -> Variable {
        try tape.check(self)
        let resolved = try Shape.normalize(axis: axis, rank: shape.count)
        // The shape of this tensor but along `axis` (compared in place: a learner gathers on every pass).
        guard indices.shape.count == shape.count,
            shape.indices.allSatisfy({ $0 == resolved || indices.shape[$0] == shape[$0] })
        else { throw .shapeMismatch(operation: "gather", shape, indices.shape) }
        let (outer, length, inner) = Shape.split(shape, at: resolved)
        let picks = indices.shape[resolved]
        for index in indices.elements where index < 0 || Int(index) >= length {
            throw .invalidArgument("gather index \(index) is out of range 0..<\(length) for shape \(shape)")
        }
        return gathered(count: indices.elements.count, shape: indices.shape) { sources in
            for o in 0..<outer {
                for j in 0..<picks {
                    for i in 0..<inner {
                        let out = (o * picks + j) * inner + i
                        sources[out] = (o * length + Int(indices.elements[out])) * inner + i
                    }
                }
            }
        }
    }

    /// `[rows]`: of each row `r` of this `[rows, columns]` variable, the element in column `columns[r]`, with the
    /// column indices given as whole numbers in a `[rows, 1]` or `[rows]` tensor (a batch of discrete actions):
    /// `log π(a|s)` from a categorical's log-probabilities. The same as `gather(alongAxis: 1, …)` then a reshape to
    /// `[rows]`, without building an index tensor: a learner picks on every pass.
    public func pickingColumns(_ columns: Tensor) throws(TensorError) -> Variable {
        try tape.check(self)
        guard shape.count == 2, columns.scalarCount == shape[0], columns.shape.first == shape[0],
            columns.shape.dropFirst().allSatisfy({ $0 == 1 })
        else { throw .shapeMismatch(operation: "pickingColumns", shape, columns.shape) }
        let (rows, width) = (shape[0], shape[1])
        for column in columns.scalars where !(column >= 0 && column < Float(width)) || column.rounded() != column {
            throw .invalidArgument("column \(column) is not an index in 0..<\(width) for shape \(shape)")
        }
        // The result is the next node, whatever the gather saves first: the tape can hand out its shape now.
        let resultShape = tape.resultShape(rank: 1) { _ in rows }
        return gathered(count: rows, shape: resultShape) { sources in
            columns.withUnsafeScalars { picked in
                for row in 0..<rows { sources[row] = row * width + Int(picked[row]) }
            }
        }
    }

    /// The elements of this variable at the offsets `fill` writes (`count` of them), as a tensor of `shape`; the
    /// gradient flows back to those offsets. The offsets are shared by forward and backward (saved in the tape,
    /// whose slot travels in the operation: the backward step captures nothing).
    private func gathered(count: Int, shape: [Int], _ fill: (UnsafeMutableBufferPointer<Int>) -> Void) -> Variable {
        let slot = tape.saveOffsets(count: count, fill)
        let sources = tape.savedOffsets(slot)
        var output = tape.makeBuffer(count: sources.count)
        value.withUnsafeScalars { x in
            for (out, source) in sources.enumerated() { output[out] = x[source] }
        }
        let result = Tensor(uncheckedShape: shape, scalars: output)
        return tape.record(result, Operation(self, sizes: (slot, 0, 0))) { tape, operation, upstream in
            let sources = tape.savedOffsets(operation.sizes.0)
            upstream.withUnsafeScalars { g in
                tape.accumulate(into: operation.first) { gx in
                    for (out, source) in sources.enumerated() { gx[source] += g[out] }
                }
            }
        }
    }

    /// Element-wise choice: `whereTrue` where `condition` holds, else `whereFalse`. Shapes broadcast.
    /// Each branch receives gradient only where it was chosen, so a masked-out branch holding
    /// `-inf` or NaN never leaks into the gradient.
    public static func select(_ condition: Mask, _ whereTrue: Variable, _ whereFalse: Variable) throws(TensorError)
        -> Variable
    {
        let tape = whereTrue.tape
        try tape.check(whereTrue)
        try tape.check(whereFalse)
        let branches = try Shape.broadcast(whereTrue.shape, whereFalse.shape, operation: "select")
        let shape = try Shape.broadcast(branches, condition.shape, operation: "select")
        let conditionStrides = Shape.broadcastStrides(condition.shape, to: shape)
        let trueStrides = Shape.broadcastStrides(whereTrue.shape, to: shape)
        let falseStrides = Shape.broadcastStrides(whereFalse.shape, to: shape)
        var output = tape.makeBuffer(count: Shape.count(shape))
        whereTrue.value.withUnsafeScalars { a in
            whereFalse.value.withUnsafeScalars { b in
                output.withUnsafeMutableBufferPointer { y in
                    BroadcastLoop.forEach(shape: shape, conditionStrides, trueStrides, falseStrides) { out, c, i, j in
                        y[out] = condition.elements[c] ? a[i] : b[j]
                    }
                }
            }
        }
        let trueID = whereTrue.id
        let falseID = whereFalse.id
        return tape.record(Tensor(uncheckedShape: shape, scalars: output), Operation(whereTrue, whereFalse)) {
            tape, _, upstream in
            upstream.withUnsafeScalars { g in
                tape.accumulate(into: trueID) { ga in
                    BroadcastLoop.forEach(shape: shape, conditionStrides, trueStrides, falseStrides) { out, c, i, _ in
                        if condition.elements[c] { ga[i] += g[out] }
                    }
                }
                tape.accumulate(into: falseID) { gb in
                    BroadcastLoop.forEach(shape: shape, conditionStrides, trueStrides, falseStrides) { out, c, _, j in
                        if !condition.elements[c] { gb[j] += g[out] }
                    }
                }
            }
        }
    }

    /// Replaces the elements where `mask` holds by `fill` (e.g. illegal actions' logits by a large
    /// negative number); they receive no gradient.
    public func maskedFill(_ mask: Mask, with fill: Float) throws(TensorError) -> Variable {
        try Variable.select(mask, constant(fill), self)
    }
}
