extension Variable {
    /// Sum of all elements, as a scalar.
    public func sum() throws(TensorError) -> Variable {
        try reduce(Self.wholeTensor(shape), kind: .sum)
    }

    /// Sum along `axis` (negative counts from the end); `keepingDimension` leaves it with length 1.
    public func sum(alongAxis axis: Int, keepingDimension: Bool = false) throws(TensorError) -> Variable {
        try reduce(axisLayout(axis, keepingDimension), kind: .sum)
    }

    /// Mean of all elements, as a scalar.
    public func mean() throws(TensorError) -> Variable {
        try reduce(Self.wholeTensor(shape), kind: .mean)
    }

    /// Mean along `axis`; `keepingDimension` leaves it with length 1.
    public func mean(alongAxis axis: Int, keepingDimension: Bool = false) throws(TensorError) -> Variable {
        try reduce(axisLayout(axis, keepingDimension), kind: .mean)
    }

    /// Largest element, as a scalar; the gradient goes to the first occurrence.
    public func max() throws(TensorError) -> Variable {
        try reduce(Self.wholeTensor(shape), kind: .max)
    }

    /// Largest element along `axis`; the gradient goes to the first occurrence in each line.
    public func max(alongAxis axis: Int, keepingDimension: Bool = false) throws(TensorError) -> Variable {
        try reduce(axisLayout(axis, keepingDimension), kind: .max)
    }

    private enum Reduction { case sum, mean, max }

    /// How a reduction walks its input: `outer × inner` lines of `length` elements `inner` apart.
    private struct ReductionLayout {
        var outer: Int, length: Int, inner: Int
        var resultShape: [Int]
    }

    private static func wholeTensor(_ shape: [Int]) -> ReductionLayout {
        ReductionLayout(outer: 1, length: Shape.count(shape), inner: 1, resultShape: [])
    }

    /// The layout of a reduction along `axis`; its result shape comes from the tape
    /// (``Tape/resultShape(rank:_:)``), as the next node recorded.
    private func axisLayout(_ axis: Int, _ keep: Bool) throws(TensorError) -> ReductionLayout {
        let shape = self.shape
        let resolved = try Shape.normalize(axis: axis, rank: shape.count)
        let (outer, length, inner) = Shape.split(shape, at: resolved)
        let resultShape =
            keep
            ? tape.resultShape(rank: shape.count) { $0 == resolved ? 1 : shape[$0] }
            : tape.resultShape(rank: shape.count - 1) { shape[$0 < resolved ? $0 : $0 + 1] }
        return ReductionLayout(outer: outer, length: length, inner: inner, resultShape: resultShape)
    }

    private func reduce(_ layout: ReductionLayout, kind: Reduction) throws(TensorError) -> Variable {
        try tape.check(self)
        let (outer, length, inner) = (layout.outer, layout.length, layout.inner)
        if kind == .max, length == 0 {
            throw .invalidArgument("max over an empty axis of shape \(shape)")
        }
        var output = tape.makeBuffer(count: outer * inner)
        // For max: the position along the axis that won, per output element.
        var winners = kind == .max ? [Int](repeating: 0, count: outer * inner) : []
        let scale: Float = kind == .mean ? 1 / Float(Swift.max(length, 1)) : 1
        value.withUnsafeScalars { x in
            output.withUnsafeMutableBufferPointer { y in
                for o in 0..<outer {
                    let line = o * inner
                    for i in 0..<inner { y[line + i] = kind == .max ? x[o * length * inner + i] : 0 }
                    for j in 0..<length {
                        let base = (o * length + j) * inner
                        if kind == .max {
                            for i in 0..<inner where x[base + i] > y[line + i] {
                                y[line + i] = x[base + i]
                                winners[line + i] = j
                            }
                        } else {
                            for i in 0..<inner { y[line + i] += x[base + i] }
                        }
                    }
                    if kind == .mean {
                        for i in 0..<inner { y[line + i] *= scale }
                    }
                }
            }
        }
        let result = Tensor(uncheckedShape: layout.resultShape, scalars: output)
        if kind != .max {
            // The layout and scale travel in the operation, so the backward step captures nothing.
            return tape.record(result, Operation(self, sizes: (outer, length, inner), numbers: (scale, 0))) {
                tape, operation, upstream in
                let (outer, length, inner) = operation.sizes
                let scale = operation.numbers.0
                upstream.withUnsafeScalars { g in
                    tape.accumulate(into: operation.first) { gx in
                        for o in 0..<outer {
                            for i in 0..<inner {
                                let line = o * inner + i
                                for j in 0..<length { gx[(o * length + j) * inner + i] += g[line] * scale }
                            }
                        }
                    }
                }
            }
        }
        let winningPositions = winners
        return tape.record(result, Operation(self)) { tape, operation, upstream in
            upstream.withUnsafeScalars { g in
                tape.accumulate(into: operation.first) { gx in
                    for o in 0..<outer {
                        for i in 0..<inner {
                            let line = o * inner + i
                            gx[(o * length + winningPositions[line]) * inner + i] += g[line]
                        }
                    }
                }
            }
        }
    }
}
