extension Linear {
    /// The forward pass without a tape into caller-owned memory: `output` (`rows × outputs`) becomes
    /// `activation(input · weightᵀ + bias)` for `input` (`rows × inputs`), the arithmetic of
    /// ``callAsFunction(_:_:)-(Tensor,_)`` without its result allocation. The actors' batched inference runs it every
    /// env step, with `weight` and `bias` looked up once per pass (``weightName``, ``biasName``).
    ///
    /// Throws unless `weight` is `[outputs, inputs]` and `bias` `[outputs]`; `input` and `output` must hold `rows`
    /// rows and must not overlap.
    package func forward(
        _ input: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor, into output: UnsafeMutablePointer<Float>
    ) throws(TensorError) {
        let (weightShape, biasShape) = (weight.shape, bias.shape)
        guard weightShape.count == 2, weightShape[0] == outputs, weightShape[1] == inputs, biasShape.count == 1,
            biasShape[0] == outputs
        else {
            throw .shapeMismatch(operation: "layer '\(name)' parameters", weight.shape, [outputs, inputs])
        }
        guard rows > 0 else { return }
        weight.withUnsafeScalars { weights in
            bias.withUnsafeScalars { bias in
                Gemm.multiply(
                    input, weights.baseAddress!, into: output, m: rows, n: outputs, k: inputs, transposeB: true)
                activation.applyWithBias(
                    UnsafeMutableBufferPointer(start: output, count: rows * outputs), bias: bias, columns: outputs)
            }
        }
    }
}
