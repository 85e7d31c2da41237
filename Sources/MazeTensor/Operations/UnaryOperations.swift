import Foundation

extension Variable {
    /// `-x`.
    public func negated() throws(TensorError) -> Variable {
        try elementwise {
            -$0
        } derivative: { gradient, _, _ in
            -gradient
        }
    }

    /// `e^x`; overflows to `inf` above about 88, as Float32 does.
    public func exp() throws(TensorError) -> Variable {
        try elementwise {
            Foundation.exp($0)
        } derivative: { gradient, _, output in
            gradient * output
        }
    }

    /// Natural logarithm; `log(0)` is `-inf` and its gradient `inf`, as in IEEE arithmetic.
    public func log() throws(TensorError) -> Variable {
        try elementwise {
            Foundation.log($0)
        } derivative: { gradient, input, _ in
            gradient / input
        }
    }

    /// Hyperbolic tangent (the vectorised approximation also used by fused layers).
    public func tanh() throws(TensorError) -> Variable {
        try elementwise(FastMath.tanh, derivative: { gradient, _, output in gradient * (1 - output * output) })
    }

    /// `max(x, 0)`; the gradient at exactly 0 is taken as 0.
    public func relu() throws(TensorError) -> Variable {
        try elementwise {
            Swift.max($0, 0)
        } derivative: { gradient, input, _ in
            input > 0 ? gradient : 0
        }
    }

    /// Logistic function, computed without overflow for large `|x|`.
    public func sigmoid() throws(TensorError) -> Variable {
        try elementwise(Self.logistic, derivative: { gradient, _, output in gradient * output * (1 - output) })
    }

    /// `log(1 + exp(x))`, computed as `max(x, 0) + log1p(exp(-|x|))` so large inputs neither overflow nor lose precision.
    public func softplus() throws(TensorError) -> Variable {
        try elementwise {
            Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0)))
        } derivative: { gradient, input, _ in
            gradient * Self.logistic(input)
        }
    }

    /// `x²`.
    public func squared() throws(TensorError) -> Variable {
        try elementwise {
            $0 * $0
        } derivative: { gradient, input, _ in
            2 * input * gradient
        }
    }

    /// `√x`; the gradient at 0 is infinite.
    public func squareRoot() throws(TensorError) -> Variable {
        try elementwise {
            Foundation.sqrt($0)
        } derivative: { gradient, _, output in
            gradient / (2 * output)
        }
    }

    /// Limits every element to `lower...upper`; the gradient passes where the input is inside the
    /// closed interval and is 0 outside (PPO's clipped ratio).
    public func clamped(to range: ClosedRange<Float>) throws(TensorError) -> Variable {
        let lower = range.lowerBound
        let upper = range.upperBound
        return try elementwise {
            Swift.min(Swift.max($0, lower), upper)
        } derivative: { gradient, input, _ in
            input >= lower && input <= upper ? gradient : 0
        }
    }

    /// The same value with no gradient flowing back (targets, bootstrapped values, V-trace weights).
    public func stoppingGradient() throws(TensorError) -> Variable {
        try tape.check(self)
        return tape.constant(value)
    }

    private static func logistic(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    /// Records `forward` applied element-wise; `derivative(upstream, input, output)` is the local gradient.
    func elementwise(
        _ forward: (Float) -> Float,
        derivative: @escaping (_ gradient: Float, _ input: Float, _ output: Float) -> Float
    ) throws(TensorError) -> Variable {
        try tape.check(self)
        let input = value
        var output = tape.makeBuffer(count: input.scalarCount)
        input.withUnsafeScalars { source in
            output.withUnsafeMutableBufferPointer { target in
                for index in source.indices { target[index] = forward(source[index]) }
            }
        }
        let result = Tensor(uncheckedShape: input.shape, scalars: output)
        let inputID = id
        return tape.record(result, inputs: [self]) { tape, upstream in
            tape.accumulate(into: inputID) { gradient in
                upstream.withUnsafeScalars { up in
                    input.withUnsafeScalars { x in
                        result.withUnsafeScalars { y in
                            for index in gradient.indices {
                                gradient[index] += derivative(up[index], x[index], y[index])
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Variable {
    /// `-x`.
    public static prefix func - (operand: Variable) throws(TensorError) -> Variable {
        try operand.negated()
    }
}
