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

    /// The output columns `lower..<upper` whose tap at kernel column `dx` lies inside the input (the others read
    /// padding); for these the input column is `column · stride + dx - padding`.
    @inline(__always)
    func validColumns(dx: Int) -> (lower: Int, upper: Int) {
        let offset = dx - padding
        // column · stride + offset ≥ 0 and ≤ width - 1
        let lower = offset >= 0 ? 0 : (-offset + stride - 1) / stride
        let upper = width - 1 - offset < 0 ? 0 : Swift.min(outputWidth, (width - 1 - offset) / stride + 1)
        return (lower, Swift.max(lower, upper))
    }

    /// im2col of one image: row `(c·k + dy)·k + dx` of the patch matrix (rows `rowStride` apart) receives, at
    /// `columns`, the input value each of the image's output positions reads at tap `(c, dy, dx)` (zero where it
    /// reads padding). With `rowStride` the batch's positions and `columns` offset by the image's first position,
    /// the images of a batch fill one `[C·k², N·H'·W']` matrix. Rows are written along output columns, so the inner
    /// loop reads and writes contiguous memory (for stride 1).
    func gatherColumns(
        image: Int, from input: UnsafePointer<Float>, into columns: UnsafeMutablePointer<Float>, rowStride: Int
    ) {
        for channel in 0..<channels {
            let plane = input + (image * channels + channel) * height * width
            for dy in 0..<kernel {
                for dx in 0..<kernel {
                    let row = columns + ((channel * kernel + dy) * kernel + dx) * rowStride
                    let (lower, upper) = validColumns(dx: dx)
                    for outputRow in 0..<outputHeight {
                        let target = row + outputRow * outputWidth
                        let y = outputRow * stride + dy - padding
                        guard y >= 0, y < height, lower < upper else {
                            target.update(repeating: 0, count: outputWidth)
                            continue
                        }
                        let source = plane + y * width + dx - padding
                        for column in 0..<lower { target[column] = 0 }
                        if stride == 1 {
                            // contiguous: a copy the compiler vectorizes
                            for column in lower..<upper { target[column] = source[column] }
                        } else {
                            for column in lower..<upper { target[column] = source[column * stride] }
                        }
                        for column in upper..<outputWidth { target[column] = 0 }
                    }
                }
            }
        }
    }

    /// col2im of one image, the adjoint of ``gatherColumns(image:from:into:rowStride:)``: adds every entry of
    /// the image's columns (rows `rowStride` apart) to the input gradient element its tap read (padding taps are
    /// dropped).
    func scatterColumns(
        image: Int, _ columns: UnsafePointer<Float>, rowStride: Int, into gradient: UnsafeMutablePointer<Float>
    ) {
        for channel in 0..<channels {
            let plane = gradient + (image * channels + channel) * height * width
            for dy in 0..<kernel {
                for dx in 0..<kernel {
                    let row = columns + ((channel * kernel + dy) * kernel + dx) * rowStride
                    let (lower, upper) = validColumns(dx: dx)
                    for outputRow in 0..<outputHeight {
                        let y = outputRow * stride + dy - padding
                        guard y >= 0, y < height else { continue }
                        let source = row + outputRow * outputWidth
                        let target = plane + y * width + dx - padding
                        if stride == 1 {
                            for column in lower..<upper { target[column] += source[column] }
                        } else {
                            for column in lower..<upper { target[column * stride] += source[column] }
                        }
                    }
                }
            }
        }
    }
}

extension Variable {
    /// 2-D cross-correlation as `torch.nn.functional.conv2d`: input `[N, C, H, W]`, weight
    /// `[O, C, k, k]`, optional bias `[O]`; result `[N, O, H', W']` with `H' = (H + 2p - k) / s + 1`.
    ///
    /// im2col and one `cblas_sgemm` for the whole batch: the patches of all images are the columns of one
    /// `[C·k², N·H'·W']` matrix, and the weight seen as `[O, C·k²]` times it is the batch's output as
    /// `[O, N·H'·W']`, copied to NCHW with the bias added. One gemm of width `N·H'·W'` rather than one of width
    /// `H'·W'` per image: on small maps (MinAtar's 10 × 10) the per-image products are too small for BLAS to run
    /// near its peak. The backward pass is two gemms over the batch (weight gradient, column gradient, the
    /// latter only when the input needs a gradient) and a scatter of the column gradient (col2im).
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
        let (images, depth, positions) = (geometry.batch, geometry.patchSize, geometry.positions)
        let batchPositions = images * positions
        let imageOutputs = outputs * positions

        // columns [C·k², N·H'·W'], product [O, N·H'·W']
        var columns = tape.makeBuffer(count: depth * batchPositions)
        var product = tape.makeBuffer(count: outputs * batchPositions)
        var output = tape.makeBuffer(count: images * imageOutputs)
        x.withUnsafeScalars { xs in
            columns.withUnsafeMutableBufferPointer { columns in
                for image in 0..<images {
                    geometry.gatherColumns(
                        image: image, from: xs.baseAddress!, into: columns.baseAddress! + image * positions,
                        rowStride: batchPositions)
                }
            }
        }
        columns.withUnsafeBufferPointer { columns in
            w.withUnsafeScalars { ws in
                product.withUnsafeMutableBufferPointer { product in
                    Gemm.multiply(
                        ws.baseAddress!, columns.baseAddress!, into: product.baseAddress!, m: outputs,
                        n: batchPositions, k: depth)
                }
            }
        }
        let shifts = b?.scalars ?? [Float](repeating: 0, count: outputs)
        product.withUnsafeBufferPointer { product in
            output.withUnsafeMutableBufferPointer { out in
                for channel in 0..<outputs {
                    let shift = shifts[channel]
                    for image in 0..<images {
                        let source = product.baseAddress! + channel * batchPositions + image * positions
                        let target = out.baseAddress! + image * imageOutputs + channel * positions
                        for position in 0..<positions { target[position] = source[position] + shift }
                    }
                }
            }
        }
        tape.recycle(product)
        let resultShape = [images, outputs, geometry.outputHeight, geometry.outputWidth]
        let inputs = [self, weight] + (bias.map { [$0] } ?? [])
        guard inputs.contains(where: tape.tracksGradient(of:)) else {
            tape.recycle(columns)
            return tape.record(Tensor(uncheckedShape: resultShape, scalars: output), inputs: inputs) { _, _, _ in }
        }
        let inputID = id
        let weightID = weight.id
        let biasID = bias?.id
        let inputNeedsGradient = tape.tracksGradient(of: self)
        return tape.record(Tensor(uncheckedShape: resultShape, scalars: output), inputs: inputs) {
            tape, _, upstream in
            // dY as [O, N·H'·W'], the layout of the forward product.
            var gradientRows = tape.makeBuffer(count: outputs * batchPositions)
            upstream.withUnsafeScalars { g in
                gradientRows.withUnsafeMutableBufferPointer { rows in
                    for image in 0..<images {
                        for channel in 0..<outputs {
                            (rows.baseAddress! + channel * batchPositions + image * positions).update(
                                from: g.baseAddress! + image * imageOutputs + channel * positions, count: positions)
                        }
                    }
                }
            }
            gradientRows.withUnsafeBufferPointer { dY in
                if let biasID {
                    tape.accumulate(into: biasID) { gb in
                        for channel in 0..<outputs {
                            let row = dY.baseAddress! + channel * batchPositions
                            var sum: Float = 0
                            for position in 0..<batchPositions { sum += row[position] }
                            gb[channel] += sum
                        }
                    }
                }
                // dW = dY · columnsᵀ
                columns.withUnsafeBufferPointer { columns in
                    tape.accumulateProduct(into: weightID) { gw, beta in
                        Gemm.multiply(
                            dY.baseAddress!, columns.baseAddress!, into: gw.baseAddress!, m: outputs, n: depth,
                            k: batchPositions, transposeB: true, beta: beta)
                    }
                }
                // d(columns) = Wᵀ · dY, scattered back onto the input image by image.
                guard inputNeedsGradient else { return }
                var columnGradient = tape.makeBuffer(count: depth * batchPositions)
                w.withUnsafeScalars { ws in
                    columnGradient.withUnsafeMutableBufferPointer { dc in
                        Gemm.multiply(
                            ws.baseAddress!, dY.baseAddress!, into: dc.baseAddress!, m: depth, n: batchPositions,
                            k: outputs, transposeA: true)
                    }
                }
                tape.accumulate(into: inputID) { gx in
                    columnGradient.withUnsafeBufferPointer { dc in
                        for image in 0..<images {
                            geometry.scatterColumns(
                                image: image, dc.baseAddress! + image * positions, rowStride: batchPositions,
                                into: gx.baseAddress!)
                        }
                    }
                }
                tape.recycle(columnGradient)
            }
            tape.recycle(gradientRows)
        }
    }
}
