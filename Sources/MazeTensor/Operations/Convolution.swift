/// The geometry of a 2-D convolution or pooling window over `[batch, channels, height, width]` inputs
/// (PyTorch's NCHW layout): square kernel, equal stride and zero padding along both spatial axes.
struct WindowGeometry {
    let batch: Int, channels: Int, height: Int, width: Int
    let kernel: Int, stride: Int, padding: Int
    let outputHeight: Int, outputWidth: Int

    /// Throws unless `shape` is NCHW and the window fits at least once (as `torch.nn.Conv2d` requires).
    init(input shape: [Int], kernel: Int, stride: Int, padding: Int, operation: String) throws(TensorError) {
        guard shape.count == 4 else {
            throw .invalidArgument("\(operation) needs a [batch, channels, height, width] input, got shape \(shape)")
        }
        guard kernel > 0, stride > 0, padding >= 0 else {
            throw .invalidArgument(
                "\(operation) needs kernel > 0, stride > 0, padding >= 0, got \(kernel), \(stride), \(padding)")
        }
        (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        (self.kernel, self.stride, self.padding) = (kernel, stride, padding)
        outputHeight = (height + 2 * padding - kernel) / stride + 1
        outputWidth = (width + 2 * padding - kernel) / stride + 1
        guard height + 2 * padding >= kernel, width + 2 * padding >= kernel, shape.allSatisfy({ $0 > 0 }) else {
            throw .invalidArgument(
                "\(operation): a \(kernel)×\(kernel) window with padding \(padding) does not fit input \(shape)")
        }
    }

    /// Output positions per image.
    var positions: Int { outputHeight * outputWidth }
    /// Elements of one patch: `channels · kernel²`, the inner dimension of the convolution's gemm.
    var patchSize: Int { channels * kernel * kernel }

    /// Calls `body(patchElement, inputOffset)` for every element of the patch at output position
    /// (`row`, `column`) of image `image` that lies inside the input (padding reads as zero and is skipped).
    @inline(__always)
    func forEachTap(image: Int, row: Int, column: Int, _ body: (Int, Int) -> Void) {
        let top = row * stride - padding
        let left = column * stride - padding
        for channel in 0..<channels {
            let plane = (image * channels + channel) * height * width
            for dy in 0..<kernel {
                let y = top + dy
                guard y >= 0, y < height else { continue }
                for dx in 0..<kernel {
                    let x = left + dx
                    guard x >= 0, x < width else { continue }
                    body((channel * kernel + dy) * kernel + dx, plane + y * width + x)
                }
            }
        }
    }
}

extension Variable {
    /// 2-D cross-correlation as `torch.nn.functional.conv2d`: input `[N, C, H, W]`, weight
    /// `[O, C, k, k]`, optional bias `[O]`; result `[N, O, H', W']` with `H' = (H + 2p - k) / s + 1`.
    ///
    /// Computed as one `cblas_sgemm` over the whole batch (im2col): every output position's patch is a
    /// row of a `[N·H'·W', C·k²]` matrix, multiplied by the weight seen as `[O, C·k²]`. The backward pass
    /// is two more gemms (weight gradient, patch gradient) and a scatter of the patch gradient (col2im).
    public func conv2d(weight: Variable, bias: Variable?, stride: Int = 1, padding: Int = 0) throws(TensorError)
        -> Variable
    {
        try tape.check(self)
        try tape.check(weight)
        if let bias { try tape.check(bias) }
        guard weight.shape.count == 4 else { throw .shapeMismatch(operation: "conv2d weight", shape, weight.shape) }
        let geometry = try WindowGeometry(
            input: shape, kernel: weight.shape[2], stride: stride, padding: padding, operation: "conv2d")
        let outputs = weight.shape[0]
        guard weight.shape == [outputs, geometry.channels, geometry.kernel, geometry.kernel], outputs > 0 else {
            throw .shapeMismatch(operation: "conv2d weight", shape, weight.shape)
        }
        if let bias, bias.shape != [outputs] {
            throw .shapeMismatch(operation: "conv2d bias", weight.shape, bias.shape)
        }
        let x = value
        let w = weight.value
        let b = bias?.value
        let rows = geometry.batch * geometry.positions
        let depth = geometry.patchSize
        let positions = geometry.positions

        var patches = [Float](repeating: 0, count: rows * depth)
        x.withUnsafeScalars { xs in
            patches.withUnsafeMutableBufferPointer { p in
                var rowIndex = 0
                for image in 0..<geometry.batch {
                    for row in 0..<geometry.outputHeight {
                        for column in 0..<geometry.outputWidth {
                            let base = rowIndex * depth
                            geometry.forEachTap(image: image, row: row, column: column) { element, offset in
                                p[base + element] = xs[offset]
                            }
                            rowIndex += 1
                        }
                    }
                }
            }
        }
        // [N·P, O] = patches · weightᵀ, then each image's [P, O] block is transposed into [O, P] with the bias.
        var product = tape.makeBuffer(count: rows * outputs)
        var output = tape.makeBuffer(count: rows * outputs)
        patches.withUnsafeBufferPointer { p in
            w.withUnsafeScalars { ws in
                product.withUnsafeMutableBufferPointer { y in
                    Gemm.multiply(
                        p.baseAddress!, ws.baseAddress!, into: y.baseAddress!, m: rows, n: outputs, k: depth,
                        transposeB: true)
                }
            }
        }
        product.withUnsafeBufferPointer { y in
            output.withUnsafeMutableBufferPointer { out in
                for image in 0..<geometry.batch {
                    for channel in 0..<outputs {
                        let shift = b?.scalars[channel] ?? 0
                        let target = (image * outputs + channel) * positions
                        let source = image * positions * outputs + channel
                        for position in 0..<positions {
                            out[target + position] = y[source + position * outputs] + shift
                        }
                    }
                }
            }
        }
        tape.recycle(product)
        let resultShape = [geometry.batch, outputs, geometry.outputHeight, geometry.outputWidth]
        let inputID = id
        let weightID = weight.id
        let biasID = bias?.id
        return tape.record(
            Tensor(uncheckedShape: resultShape, scalars: output), inputs: [self, weight] + (bias.map { [$0] } ?? [])
        ) { tape, upstream in
            // The upstream gradient back in the gemm's [N·P, O] layout.
            var gradient = tape.makeBuffer(count: rows * outputs)
            upstream.withUnsafeScalars { g in
                gradient.withUnsafeMutableBufferPointer { dy in
                    for image in 0..<geometry.batch {
                        for channel in 0..<outputs {
                            let source = (image * outputs + channel) * positions
                            let target = image * positions * outputs + channel
                            for position in 0..<positions { dy[target + position * outputs] = g[source + position] }
                        }
                    }
                }
                if let biasID {
                    tape.accumulate(into: biasID) { gb in
                        for image in 0..<geometry.batch {
                            for channel in 0..<outputs {
                                let source = (image * outputs + channel) * positions
                                for position in 0..<positions { gb[channel] += g[source + position] }
                            }
                        }
                    }
                }
            }
            gradient.withUnsafeBufferPointer { dy in
                patches.withUnsafeBufferPointer { p in
                    tape.accumulateProduct(into: weightID) { gw, beta in
                        Gemm.multiply(
                            dy.baseAddress!, p.baseAddress!, into: gw.baseAddress!, m: outputs, n: depth, k: rows,
                            transposeA: true, beta: beta)
                    }
                }
                var patchGradient = tape.makeBuffer(count: rows * depth)
                w.withUnsafeScalars { ws in
                    patchGradient.withUnsafeMutableBufferPointer { dp in
                        Gemm.multiply(
                            dy.baseAddress!, ws.baseAddress!, into: dp.baseAddress!, m: rows, n: depth, k: outputs)
                    }
                }
                patchGradient.withUnsafeBufferPointer { dp in
                    tape.accumulate(into: inputID) { gx in
                        var rowIndex = 0
                        for image in 0..<geometry.batch {
                            for row in 0..<geometry.outputHeight {
                                for column in 0..<geometry.outputWidth {
                                    let base = rowIndex * depth
                                    geometry.forEachTap(image: image, row: row, column: column) { element, offset in
                                        gx[offset] += dp[base + element]
                                    }
                                    rowIndex += 1
                                }
                            }
                        }
                    }
                }
                tape.recycle(patchGradient)
            }
            tape.recycle(gradient)
        }
    }
}
