extension Variable {
    /// The same elements with another shape; `-1` in one place is inferred. Shares storage (no copy).
    public func reshaped(to newShape: [Int]) throws(TensorError) -> Variable {
        try tape.check(self)
        return recordReshape(try value.reshaped(to: newShape))
    }

    /// `[count]`: the same elements along one axis (a critic's `[batch, 1]` outputs as `[batch]` values). Unlike
    /// `reshaped(to: [count])` it needs no shape array from the caller: the tape hands out the previous pass's.
    public func flattened() throws(TensorError) -> Variable {
        try tape.check(self)
        let count = value.scalarCount
        return recordReshape(Tensor(uncheckedShape: tape.resultShape(rank: 1) { _ in count }, scalars: value.scalars))
    }

    /// Records `result`, this variable's elements in another shape, sharing its storage; the gradient flows back
    /// element for element.
    private func recordReshape(_ result: Tensor) -> Variable {
        tape.recordShared(result, Operation(self)) { tape, operation, upstream in
            upstream.withUnsafeScalars { g in
                tape.accumulate(into: operation.first) { gx in
                    for index in gx.indices { gx[index] += g[index] }
                }
            }
        }
    }

    /// Swaps two axes (negative axes count from the end).
    public func transposed(_ first: Int = -2, _ second: Int = -1) throws(TensorError) -> Variable {
        let a = try Shape.normalize(axis: first, rank: shape.count)
        let b = try Shape.normalize(axis: second, rank: shape.count)
        var order = Array(shape.indices)
        order.swapAt(a, b)
        return try permuted(order)
    }

    /// Reorders the axes: axis `k` of the result is axis `order[k]` of this tensor.
    public func permuted(_ order: [Int]) throws(TensorError) -> Variable {
        try tape.check(self)
        guard order.sorted() == Array(shape.indices) else {
            throw .invalidArgument("\(order) is not a permutation of the axes of shape \(shape)")
        }
        let resultShape = order.map { shape[$0] }
        let inputStrides = Shape.strides(shape)
        let readStrides = order.map { inputStrides[$0] }
        var output = tape.makeBuffer(count: value.scalarCount)
        value.withUnsafeScalars { x in
            output.withUnsafeMutableBufferPointer { y in
                BroadcastLoop.forEach(shape: resultShape, readStrides, readStrides, readStrides) { out, source, _, _ in
                    y[out] = x[source]
                }
            }
        }
        let inputID = id
        return tape.record(Tensor(uncheckedShape: resultShape, scalars: output), Operation(self)) { tape, _, upstream in
            upstream.withUnsafeScalars { g in
                tape.accumulate(into: inputID) { gx in
                    BroadcastLoop.forEach(shape: resultShape, readStrides, readStrides, readStrides) {
                        out, source, _, _ in
                        gx[source] += g[out]
                    }
                }
            }
        }
    }

    /// Joins tensors along `axis`; all other dimensions must agree.
    public static func concatenate(_ parts: [Variable], alongAxis axis: Int) throws(TensorError) -> Variable {
        guard let first = parts.first else { throw .invalidArgument("concatenate needs at least one tensor") }
        let tape = first.tape
        let resolved = try Shape.normalize(axis: axis, rank: first.shape.count)
        var resultShape = first.shape
        resultShape[resolved] = 0
        var reference = first.shape
        reference[resolved] = 0
        for part in parts {
            try tape.check(part)
            guard part.shape.count == first.shape.count else {
                throw .shapeMismatch(operation: "concatenate", first.shape, part.shape)
            }
            var expected = part.shape
            expected[resolved] = 0
            guard expected == reference else { throw .shapeMismatch(operation: "concatenate", first.shape, part.shape) }
            resultShape[resolved] += part.shape[resolved]
        }
        let (outer, total, inner) = Shape.split(resultShape, at: resolved)
        // Each part is copied as `outer` runs of `width` contiguous scalars, starting at `offset` in each output row.
        let widths = parts.map { $0.shape[resolved] * inner }
        let offsets = widths.reduce(into: [0]) { $0.append($0.last! + $1) }
        let row = total * inner
        var output = tape.makeBuffer(count: outer * row)
        output.withUnsafeMutableBufferPointer { y in
            for (index, part) in parts.enumerated() {
                part.value.withUnsafeScalars { x in
                    for o in 0..<outer {
                        for k in 0..<widths[index] { y[o * row + offsets[index] + k] = x[o * widths[index] + k] }
                    }
                }
            }
        }
        let ids = parts.map(\.id)
        return tape.record(Tensor(uncheckedShape: resultShape, scalars: output), inputs: parts) { tape, _, upstream in
            upstream.withUnsafeScalars { g in
                for (index, partID) in ids.enumerated() {
                    tape.accumulate(into: partID) { gx in
                        for o in 0..<outer {
                            for k in 0..<widths[index] { gx[o * widths[index] + k] += g[o * row + offsets[index] + k] }
                        }
                    }
                }
            }
        }
    }

    /// The elements at positions `range` along `axis`.
    public func slice(alongAxis axis: Int, _ range: Range<Int>) throws(TensorError) -> Variable {
        try tape.check(self)
        let resolved = try Shape.normalize(axis: axis, rank: shape.count)
        guard range.lowerBound >= 0, range.upperBound <= shape[resolved] else {
            throw .invalidArgument("slice \(range) is out of bounds for axis \(axis) of shape \(shape)")
        }
        let (outer, length, inner) = Shape.split(shape, at: resolved)
        var resultShape = shape
        resultShape[resolved] = range.count
        let width = range.count * inner
        let start = range.lowerBound * inner
        let row = length * inner
        var output = tape.makeBuffer(count: outer * width)
        value.withUnsafeScalars { x in
            output.withUnsafeMutableBufferPointer { y in
                for o in 0..<outer {
                    for k in 0..<width { y[o * width + k] = x[o * row + start + k] }
                }
            }
        }
        let inputID = id
        return tape.record(Tensor(uncheckedShape: resultShape, scalars: output), Operation(self)) { tape, _, upstream in
            upstream.withUnsafeScalars { g in
                tape.accumulate(into: inputID) { gx in
                    for o in 0..<outer {
                        for k in 0..<width { gx[o * row + start + k] += g[o * width + k] }
                    }
                }
            }
        }
    }
}
