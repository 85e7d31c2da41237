import CMazeKernels

extension Variable {
    /// Matrix product through `cblas_sgemm`: `[m, k] × [k, n]`, batched `[B, m, k] × [B, k, n]`, or
    /// `[B, m, k] × [k, n]` (one right-hand matrix shared by the whole batch, computed as a single gemm).
    public func matmul(_ other: Variable) throws(TensorError) -> Variable {
        try tape.check(self)
        try tape.check(other)
        let a = value
        let b = other.value
        let mismatch = TensorError.shapeMismatch(operation: "matmul", a.shape, b.shape)
        guard a.rank >= 2, a.rank <= 3, b.rank >= 2, b.rank <= 3, a.shape[a.rank - 1] == b.shape[b.rank - 2] else {
            throw mismatch
        }
        let m = a.shape[a.rank - 2]
        let k = a.shape[a.rank - 1]
        let n = b.shape[b.rank - 1]
        guard a.scalarCount > 0, b.scalarCount > 0 else {
            throw .invalidArgument("matmul of empty tensors \(a.shape) × \(b.shape)")
        }
        // A shared right-hand matrix lets the batch fold into the rows of one product.
        let batches: Int
        let rows: Int
        let resultShape: [Int]
        switch (a.rank, b.rank) {
        case (2, 2): (batches, rows, resultShape) = (1, m, [m, n])
        case (3, 2): (batches, rows, resultShape) = (1, a.shape[0] * m, [a.shape[0], m, n])
        case (3, 3) where a.shape[0] == b.shape[0]: (batches, rows, resultShape) = (a.shape[0], m, [a.shape[0], m, n])
        default: throw mismatch
        }
        var output = tape.makeBuffer(count: Shape.count(resultShape))
        a.withUnsafeScalars { x in
            b.withUnsafeScalars { w in
                output.withUnsafeMutableBufferPointer { y in
                    for batch in 0..<batches {
                        Gemm.multiply(
                            x.baseAddress! + batch * rows * k, w.baseAddress! + batch * k * n,
                            into: y.baseAddress! + batch * rows * n, m: rows, n: n, k: k)
                    }
                }
            }
        }
        // Batches and rows per batch travel in the operation (k and n are the inputs' last dimensions).
        return tape.record(
            Tensor(uncheckedShape: resultShape, scalars: output), Operation(self, other, sizes: (batches, rows, 0))
        ) { tape, operation, upstream in
            let (a, b) = (tape.value(of: operation.first), tape.value(of: operation.second))
            let (batches, rows, _) = operation.sizes
            let (k, n) = (a.shape[a.rank - 1], b.shape[b.rank - 1])
            upstream.withUnsafeScalars { g in
                a.withUnsafeScalars { x in
                    b.withUnsafeScalars { w in
                        // dA = G · Bᵀ, dB = Aᵀ · G, per batch; a shared B sums over the folded rows.
                        tape.accumulateProduct(into: operation.first) { gx, beta in
                            for batch in 0..<batches {
                                Gemm.multiply(
                                    g.baseAddress! + batch * rows * n, w.baseAddress! + batch * k * n,
                                    into: gx.baseAddress! + batch * rows * k, m: rows, n: k, k: n, transposeB: true,
                                    beta: beta)
                            }
                        }
                        tape.accumulateProduct(into: operation.second) { gw, beta in
                            for batch in 0..<batches {
                                Gemm.multiply(
                                    x.baseAddress! + batch * rows * k, g.baseAddress! + batch * rows * n,
                                    into: gw.baseAddress! + batch * k * n, m: k, n: n, k: rows, transposeA: true,
                                    beta: beta)
                            }
                        }
                    }
                }
            }
        }
    }

    /// A fully connected layer in one recorded operation: `activation(x · weightᵀ + bias)` with
    /// `x` of shape `[..., in]`, `weight` `[out, in]` (PyTorch's layout) and `bias` `[out]`.
    /// Bias and activation are applied in the same pass over the gemm's output.
    public func linear(weight: Variable, bias: Variable?, activation: Activation = .identity) throws(TensorError)
        -> Variable
    {
        try tape.check(self)
        try tape.check(weight)
        if let bias { try tape.check(bias) }
        let x = value
        let w = weight.value
        let b = bias?.value
        guard x.rank >= 1, w.rank == 2, x.shape[x.rank - 1] == w.shape[1] else {
            throw .shapeMismatch(operation: "linear", x.shape, w.shape)
        }
        guard x.scalarCount > 0, w.scalarCount > 0 else {
            throw .invalidArgument("linear of empty tensors \(x.shape) × \(w.shape)")
        }
        let inputs = w.shape[1]
        let outputs = w.shape[0]
        let rows = x.scalarCount / inputs
        if let b, b.shape.count != 1 || b.shape[0] != outputs {
            throw .shapeMismatch(operation: "linear bias", w.shape, b.shape)
        }
        let resultShape = tape.resultShape(rank: x.rank) { $0 == x.rank - 1 ? outputs : x.shape[$0] }
        var output = tape.makeBuffer(count: rows * outputs)
        LinearKernel.forward(input: x, weight: w, bias: b, activation: activation, rows: rows, into: &output)
        // The activation travels in the operation; sizes come from the inputs' shapes.
        return tape.record(
            Tensor(uncheckedShape: resultShape, scalars: output),
            Operation(self, weight, bias, sizes: (activation.ordinal, 0, 0))
        ) { tape, operation, upstream in
            let activation = Activation(ordinal: operation.sizes.0)
            let (x, w, result) = (
                tape.value(of: operation.first), tape.value(of: operation.second),
                tape.value(of: operation.node)
            )
            let (inputs, outputs) = (w.shape[1], w.shape[0])
            let rows = x.scalarCount / inputs
            // dZ = dY · f'(Y) in scratch memory from the pool; for identity it is dY itself (no copy).
            var scratch: [Float] = []
            if activation != .identity {
                scratch = tape.makeBuffer(count: rows * outputs)
                scratch.withUnsafeMutableBufferPointer { dz in
                    upstream.withUnsafeScalars { g in
                        result.withUnsafeScalars { y in activation.derivative(upstream: g, output: y, into: dz) }
                    }
                }
            }
            let preActivation = activation == .identity ? upstream.scalars : scratch
            preActivation.withUnsafeBufferPointer { dz in
                x.withUnsafeScalars { xs in
                    w.withUnsafeScalars { ws in
                        tape.accumulateProduct(into: operation.first) { gx, beta in
                            Gemm.multiply(
                                dz.baseAddress!, ws.baseAddress!, into: gx.baseAddress!, m: rows, n: inputs, k: outputs,
                                beta: beta)
                        }
                        tape.accumulateProduct(into: operation.second) { gw, beta in
                            Gemm.multiply(
                                dz.baseAddress!, xs.baseAddress!, into: gw.baseAddress!, m: outputs, n: inputs, k: rows,
                                transposeA: true, beta: beta)
                        }
                    }
                }
                if operation.third >= 0 {
                    tape.accumulate(into: operation.third) { gb in
                        maze_add_column_sums(gb.baseAddress!, dz.baseAddress!, rows, outputs)
                    }
                }
            }
            if activation != .identity { tape.recycle(scratch) }
        }
    }
}

/// The forward computation of a fully connected layer, shared by the tape and the no-gradient path.
enum LinearKernel {
    static func forward(
        input x: Tensor, weight w: Tensor, bias b: Tensor?, activation: Activation, rows: Int,
        into output: inout [Float]
    ) {
        let inputs = w.shape[1]
        let outputs = w.shape[0]
        x.withUnsafeScalars { xs in
            w.withUnsafeScalars { ws in
                output.withUnsafeMutableBufferPointer { y in
                    Gemm.multiply(
                        xs.baseAddress!, ws.baseAddress!, into: y.baseAddress!, m: rows, n: outputs, k: inputs,
                        transposeB: true)
                    if let b {
                        b.withUnsafeScalars { activation.applyWithBias(y, bias: $0, columns: outputs) }
                    } else {
                        activation.applyWithBias(y, bias: nil, columns: outputs)
                    }
                }
            }
        }
    }
}
