import CMazeKernels

extension Variable {
    /// The recurrent part of an LSTM layer over a whole sequence, recorded as one operation: `self` holds the
    /// input projections of every step, `x_t W_ihᵀ + b_ih`, as `[B, T, 4H]` (torch's gate order i, f, g, o);
    /// `hiddenWeight` is `W_hh` `[4H, H]`, `hiddenBias` `b_hh` `[4H]`, `hidden` and `cell` the initial state
    /// `[B, H]`. Each step is one gemm `h_{t-1} W_hhᵀ` over all four gates followed by one fused pass over the rows
    /// that activates the gates in place and updates the cell (`maze_lstm_step_forward`, C so that it vectorises):
    ///
    ///     h, c ← keep_t ⊙ h_{t-1}, keep_t ⊙ c_{t-1}   (only with `keep`)
    ///     i, f, g, o = σ(·), σ(·), tanh(·), σ(·) of the step's projection + h W_hhᵀ + b_hh
    ///     c_t = f ⊙ c + i ⊙ g,   h_t = o ⊙ tanh(c_t)
    ///
    /// `keep` (`[B · T]`, row `b · T + t`), when given, multiplies the state entering step `t` of sequence `b`:
    /// 0 where an episode ended before that step (the state starts afresh), 1 elsewhere; it is data, not
    /// differentiated. The result is `[B, T, 2H]`: `h_t` then `c_t` of every step (before any reset).
    ///
    /// The backward pass runs back-propagation through time with one fused pass (`maze_lstm_step_backward`) and one
    /// gemm per step (`dh_{t-1} = dgates_t W_hh`),
    /// then a single gemm for `dW_hh` over all steps. Per-step buffers come from the tape's pool and are sized
    /// once per sequence.
    func lstmRecurrence(
        hiddenWeight: Variable, hiddenBias: Variable, hidden: Variable, cell: Variable, keep: [Float]? = nil
    ) throws(TensorError) -> Variable {
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
        if let keep, keep.count != batch * steps {
            throw .invalidArgument("LSTM recurrence needs \(batch * steps) keep flags ([B · T]), got \(keep.count)")
        }
        let (projections, w, b) = (value, hiddenWeight.value, hiddenBias.value)
        let stateSize = batch * width
        let stepGates = batch * gateWidth
        let outputWidth = 2 * width
        // Time-major: the activated gates and tanh(c_t) of every step, and the states entering each step
        // (h and c after the reset, if any) followed by the final ones.
        var gates = tape.makeBuffer(count: steps * stepGates)
        var tanhCells = tape.makeBuffer(count: steps * stateSize)
        var hiddens = tape.makeBuffer(count: (steps + 1) * stateSize)
        var cells = tape.makeBuffer(count: (steps + 1) * stateSize)
        var result = tape.makeBuffer(count: batch * steps * outputWidth)
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
                        tanhCells.withUnsafeMutableBufferPointer { tanhCells in
                            hiddens.withUnsafeMutableBufferPointer { hiddens in
                                cells.withUnsafeMutableBufferPointer { cells in
                                    result.withUnsafeMutableBufferPointer { result in
                                        for step in 0..<steps {
                                            let z = gates.baseAddress! + step * stepGates
                                            let h = hiddens.baseAddress! + step * stateSize
                                            let c = cells.baseAddress! + step * stateSize
                                            if let keep {
                                                Self.scaleRows(h, c, width: width, batch: batch) {
                                                    keep[$0 * steps + step]
                                                }
                                            }
                                            for row in 0..<batch {
                                                Self.add(
                                                    x.baseAddress! + (row * steps + step) * gateWidth, b.baseAddress!,
                                                    into: z + row * gateWidth, count: gateWidth)
                                            }
                                            Gemm.multiply(
                                                h, w.baseAddress!, into: z, m: batch, n: gateWidth, k: width,
                                                transposeB: true, beta: 1)
                                            maze_lstm_step_forward(
                                                batch, width, z, c, c + stateSize,
                                                tanhCells.baseAddress! + step * stateSize, h + stateSize,
                                                result.baseAddress! + step * outputWidth, steps * outputWidth)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let inputs = [self, hiddenWeight, hiddenBias, hidden, cell]
        let resultTensor = Tensor(uncheckedShape: [batch, steps, outputWidth], scalars: result)
        guard inputs.contains(where: tape.tracksGradient(of:)) else {
            for buffer in [gates, tanhCells, hiddens, cells] { tape.recycle(buffer) }
            return tape.record(resultTensor, inputs: inputs) { _, _, _ in }
        }
        let (projectionID, weightID, biasID, hiddenID, cellID) = (
            id, hiddenWeight.id, hiddenBias.id, hidden.id, cell.id
        )
        return tape.record(resultTensor, inputs: inputs) {
            tape, _, upstream in
            // d(pre-activation gates) of every step, time-major, and the running dh, dc (of the state leaving
            // the step being processed).
            var gateGradients = tape.makeBuffer(count: steps * stepGates)
            var hiddenGradient = tape.makeBuffer(count: stateSize)
            var cellGradient = tape.makeBuffer(count: stateSize)
            upstream.withUnsafeScalars { u in
                gates.withUnsafeBufferPointer { gates in
                    tanhCells.withUnsafeBufferPointer { tanhCells in
                        cells.withUnsafeBufferPointer { cells in
                            w.withUnsafeScalars { w in
                                gateGradients.withUnsafeMutableBufferPointer { dz in
                                    hiddenGradient.withUnsafeMutableBufferPointer { dh in
                                        cellGradient.withUnsafeMutableBufferPointer { dc in
                                            dh.update(repeating: 0)
                                            dc.update(repeating: 0)
                                            for step in stride(from: steps - 1, through: 0, by: -1) {
                                                let gradient = dz.baseAddress! + step * stepGates
                                                maze_lstm_step_backward(
                                                    batch, width, gates.baseAddress! + step * stepGates,
                                                    cells.baseAddress! + step * stateSize,
                                                    tanhCells.baseAddress! + step * stateSize,
                                                    u.baseAddress! + step * outputWidth, steps * outputWidth,
                                                    dh.baseAddress!, dc.baseAddress!, gradient)
                                                // dh_{t-1} = dgates_t · W_hh
                                                Gemm.multiply(
                                                    gradient, w.baseAddress!, into: dh.baseAddress!, m: batch,
                                                    n: width, k: gateWidth)
                                                if let keep {
                                                    Self.scaleRows(
                                                        dh.baseAddress!, dc.baseAddress!, width: width, batch: batch
                                                    ) { keep[$0 * steps + step] }
                                                }
                                            }
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
                // dW_hh = Σ_t dgates_tᵀ · h_{t-1}: one gemm over the time-major rows of all steps (the states as
                // they entered each step, after any reset).
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

    /// `target = a + b` over `count` floats.
    @inline(__always)
    private static func add(
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into target: UnsafeMutablePointer<Float>, count: Int
    ) {
        for index in 0..<count { target[index] = a[index] + b[index] }
    }

    /// Multiplies row `r` of the two `[batch, width]` states by `factor(r)` where it is not 1.
    @inline(__always)
    private static func scaleRows(
        _ first: UnsafeMutablePointer<Float>, _ second: UnsafeMutablePointer<Float>, width: Int, batch: Int,
        factor: (Int) -> Float
    ) {
        for row in 0..<batch {
            let scale = factor(row)
            guard scale != 1 else { continue }
            for unit in 0..<width {
                first[row * width + unit] *= scale
                second[row * width + unit] *= scale
            }
        }
    }
}
