extension Variable {
    /// 2-D max pooling as `torch.nn.functional.max_pool2d` (no padding, floor mode): input
    /// `[N, C, H, W]`, result `[N, C, (H - k) / s + 1, (W - k) / s + 1]`. The gradient of each output
    /// goes to the first maximal element of its window.
    public func maxPool2d(kernel: Int, stride: Int? = nil) throws(TensorError) -> Variable {
        try tape.check(self)
        let geometry = try WindowGeometry(
            input: shape, kernel: kernel, stride: stride ?? kernel, padding: 0, operation: "maxPool2d")
        let planes = geometry.batch * geometry.channels
        let positions = geometry.positions
        let planeSize = geometry.height * geometry.width
        var output = tape.makeBuffer(count: planes * positions)
        // The input offset of every output's maximum, for the backward pass.
        var winners = [Int](repeating: 0, count: planes * positions)
        value.withUnsafeScalars { x in
            output.withUnsafeMutableBufferPointer { y in
                for plane in 0..<planes {
                    for row in 0..<geometry.outputHeight {
                        for column in 0..<geometry.outputWidth {
                            var best = -Float.infinity
                            var bestOffset = plane * planeSize
                            for dy in 0..<kernel {
                                let rowStart =
                                    plane * planeSize + (row * geometry.stride + dy) * geometry.width + column
                                    * geometry.stride
                                for dx in 0..<kernel where x[rowStart + dx] > best {
                                    best = x[rowStart + dx]
                                    bestOffset = rowStart + dx
                                }
                            }
                            let out = (plane * geometry.outputHeight + row) * geometry.outputWidth + column
                            y[out] = best
                            winners[out] = bestOffset
                        }
                    }
                }
            }
        }
        let resultShape = [geometry.batch, geometry.channels, geometry.outputHeight, geometry.outputWidth]
        let inputID = id
        return tape.record(Tensor(uncheckedShape: resultShape, scalars: output), Operation(self)) {
            tape, _, upstream in
            upstream.withUnsafeScalars { g in
                tape.accumulate(into: inputID) { gx in
                    for (out, source) in winners.enumerated() { gx[source] += g[out] }
                }
            }
        }
    }
}
