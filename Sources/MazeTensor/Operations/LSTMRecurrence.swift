extension Variable {
    /// The recurrent part of an LSTM layer over a whole sequence, recorded as one operation: `self` holds the
    /// input projections of every step, `x_t W_ihᵀ + b_ih`, as `[B, T, 4H]` (torch's gate order i, f, g, o);
    /// `hiddenWeight` is `W_hh` `[4H, H]`, `hiddenBias` `b_hh` `[4H]`, `hidden` and `cell` the initial state
    /// `[B, H]`. Each step is one gemm `h_{t-1} W_hhᵀ` over all four gates followed by one fused pass over the
    /// gates:
    ///
    ///     i, f, g, o = σ(·), σ(·), tanh(·), σ(·) of the step's projection + h_{t-1} W_hhᵀ + b_hh
    ///     c_t = f ⊙ c_{t-1} + i ⊙ g,   h_t = o ⊙ tanh(c_t)
    ///
    /// The result is `[B, T + 1, H]`: `h_1 … h_T`, then the final cell `c_T`. The backward pass runs
    /// back-propagation through time with one gemm per step (`dh_{t-1} = dgates_t W_hh`) and a single gemm for
    /// `dW_hh` over all steps.
    func lstmRecurrence(hiddenWeight: Variable, hiddenBias: Variable, hidden: Variable, cell: Variable)
        throws(TensorError) -> Variable
    {
        for input in [self, hiddenWeight, hiddenBias, hidden, cell] { try tape.check(input) }
        guard shape.count == 3, shape[2] % 4 == 0, shape[2] > 0, shape[1] > 0, shape[0] > 0 else {
            throw .invalidArgument("LSTM recurrence needs projections [B, T, 4H], got \(shape)")
        }
        let (batch, steps, width) = (shape[0], shape[1], shape[2] / 4)
        let gateWidth = 4 * width
        guard hiddenWeight.shape == [gateWidth, width] else {
            throw .shapeMismatch(operation: "LSTM weight_hh", shape, hiddenWeight.shape)
        }
        guard hiddenBias.shape == [gateWidth] else {
            throw .shapeMismatch(operation: "LSTM bias_hh", shape, hiddenBias.shape)
        }
        guard hidden.shape == [batch, width], cell.shape == [batch, width] else {
            throw .shapeMismatch(operation: "LSTM state", hidden.shape, cell.shape)
        }
        let (projections, w, b) = (value, hiddenWeight.value, hiddenBias.value)
        let stateSize = batch * width
        let stepGates = batch * gateWidth
        // Time-major: the activated gates of every step, and h_0 … h_T and c_0 … c_T.
        var gates = tape.makeBuffer(count: steps * stepGates)
        var hiddens = tape.makeBuffer(count: (steps + 1) * stateSize)
        var cells = tape.makeBuffer(count: (steps + 1) * stateSize)
        var result = tape.makeBuffer(count: batch * (steps + 1) * width)
        hidden.value.withUnsafeScalars { h0 in
            hiddens.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: h0.baseAddress!, count: stateSize) }
        }
        cell.value.withUnsafeScalars { c0 in
            cells.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: c0.baseAddress!, count: stateSize) }
        }
        projections.withUnsafeScalars { x in
            w.withUnsafeScalars { w in
                b.withUnsafeScalars { b in
                    gates.withUnsafeMutableBufferPointer { gates in
                        hiddens.withUnsafeMutableBufferPointer { hiddens in
                            cells.withUnsafeMutableBufferPointer { cells in
                                result.withUnsafeMutableBufferPointer { result in
                                    for step in 0..<steps {
                                        let z = gates.baseAddress! + step * stepGates
                                        for row in 0..<batch {
                                            let source = x.baseAddress! + (row * steps + step) * gateWidth
                                            let target = z + row * gateWidth
                                            for column in 0..<gateWidth { target[column] = source[column] + b[column] }
                                        }
                                        Gemm.multiply(
                                            hiddens.baseAddress! + step * stateSize, w.baseAddress!, into: z,
                                            m: batch, n: gateWidth, k: width, transposeB: true, beta: 1)
                                        let previous = cells.baseAddress! + step * stateSize
                                        let nextCell = cells.baseAddress! + (step + 1) * stateSize
                                        let nextHidden = hiddens.baseAddress! + (step + 1) * stateSize
                                        for row in 0..<batch {
                                            let gate = z + row * gateWidth
                                            let output = result.baseAddress! + (row * (steps + 1) + step) * width
                                            for unit in 0..<width {
                                                let i = Self.sigmoid(gate[unit])
                                                let f = Self.sigmoid(gate[width + unit])
                                                let g = FastMath.tanh(gate[2 * width + unit])
                                                let o = Self.sigmoid(gate[3 * width + unit])
                                                (gate[unit], gate[width + unit]) = (i, f)
                                                (gate[2 * width + unit], gate[3 * width + unit]) = (g, o)
                                                let index = row * width + unit
                                                let c = f * previous[index] + i * g
                                                nextCell[index] = c
                                                let h = o * FastMath.tanh(c)
                                                nextHidden[index] = h
                                                output[unit] = h
                                            }
                                        }
                                    }
                                    let finalCell = cells.baseAddress! + steps * stateSize
                                    for row in 0..<batch {
                                        (result.baseAddress! + (row * (steps + 1) + steps) * width).update(
                                            from: finalCell + row * width, count: width)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let inputs = [self, hiddenWeight, hiddenBias, hidden, cell]
        let resultTensor = Tensor(uncheckedShape: [batch, steps + 1, width], scalars: result)
        guard inputs.contains(where: tape.tracksGradient(of:)) else {
            for buffer in [gates, hiddens, cells] { tape.recycle(buffer) }
            return tape.record(resultTensor, inputs: inputs) { _, _ in }
        }
        let (projectionID, weightID, biasID, hiddenID, cellID) = (
            id, hiddenWeight.id, hiddenBias.id, hidden.id, cell.id
        )
        return tape.record(resultTensor, inputs: inputs) { tape, upstream in
            // d(pre-activation gates) of every step, time-major, and the running dh, dc.
            var gateGradients = tape.makeBuffer(count: steps * stepGates)
            var hiddenGradient = tape.makeBuffer(count: stateSize)
            var cellGradient = tape.makeBuffer(count: stateSize)
            upstream.withUnsafeScalars { u in
                gates.withUnsafeBufferPointer { gates in
                    cells.withUnsafeBufferPointer { cells in
                        w.withUnsafeScalars { w in
                            gateGradients.withUnsafeMutableBufferPointer { dz in
                                hiddenGradient.withUnsafeMutableBufferPointer { dh in
                                    cellGradient.withUnsafeMutableBufferPointer { dc in
                                        dh.update(repeating: 0)
                                        for row in 0..<batch {
                                            let source = u.baseAddress! + (row * (steps + 1) + steps) * width
                                            for unit in 0..<width { dc[row * width + unit] = source[unit] }
                                        }
                                        for step in stride(from: steps - 1, through: 0, by: -1) {
                                            let gate = gates.baseAddress! + step * stepGates
                                            let gradient = dz.baseAddress! + step * stepGates
                                            let previous = cells.baseAddress! + step * stateSize
                                            let current = cells.baseAddress! + (step + 1) * stateSize
                                            for row in 0..<batch {
                                                let a = gate + row * gateWidth
                                                let d = gradient + row * gateWidth
                                                let output = u.baseAddress! + (row * (steps + 1) + step) * width
                                                for unit in 0..<width {
                                                    let index = row * width + unit
                                                    let (i, f) = (a[unit], a[width + unit])
                                                    let (g, o) = (a[2 * width + unit], a[3 * width + unit])
                                                    let dHidden = dh[index] + output[unit]
                                                    let tanhCell = FastMath.tanh(current[index])
                                                    let dCell = dc[index] + dHidden * o * (1 - tanhCell * tanhCell)
                                                    d[unit] = dCell * g * i * (1 - i)
                                                    d[width + unit] = dCell * previous[index] * f * (1 - f)
                                                    d[2 * width + unit] = dCell * i * (1 - g * g)
                                                    d[3 * width + unit] = dHidden * tanhCell * o * (1 - o)
                                                    dc[index] = dCell * f
                                                }
                                            }
                                            // dh_{t-1} = dgates_t · W_hh
                                            Gemm.multiply(
                                                gradient, w.baseAddress!, into: dh.baseAddress!, m: batch, n: width,
                                                k: gateWidth)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            gateGradients.withUnsafeBufferPointer { dz in
                tape.accumulate(into: projectionID) { dx in
                    for step in 0..<steps {
                        for row in 0..<batch {
                            let source = dz.baseAddress! + (step * batch + row) * gateWidth
                            let target = dx.baseAddress! + (row * steps + step) * gateWidth
                            for column in 0..<gateWidth { target[column] += source[column] }
                        }
                    }
                }
                tape.accumulate(into: biasID) { db in
                    for row in 0..<(steps * batch) {
                        let source = dz.baseAddress! + row * gateWidth
                        for column in 0..<gateWidth { db[column] += source[column] }
                    }
                }
                // dW_hh = Σ_t dgates_tᵀ · h_{t-1}: one gemm over the time-major rows of all steps.
                hiddens.withUnsafeBufferPointer { h in
                    tape.accumulateProduct(into: weightID) { dw, beta in
                        Gemm.multiply(
                            dz.baseAddress!, h.baseAddress!, into: dw.baseAddress!, m: gateWidth, n: width,
                            k: steps * batch, transposeA: true, beta: beta)
                    }
                }
            }
            for (stateID, gradient) in [(hiddenID, hiddenGradient), (cellID, cellGradient)] {
                gradient.withUnsafeBufferPointer { source in
                    tape.accumulate(into: stateID) { target in
                        for index in 0..<stateSize { target[index] += source[index] }
                    }
                }
            }
            for buffer in [gateGradients, hiddenGradient, cellGradient] { tape.recycle(buffer) }
        }
    }

    /// The logistic function through the vectorised tanh: `σ(x) = (1 + tanh(x / 2)) / 2`.
    @inline(__always)
    private static func sigmoid(_ x: Float) -> Float {
        0.5 + 0.5 * FastMath.tanh(0.5 * x)
    }
}
