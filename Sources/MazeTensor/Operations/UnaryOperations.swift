import CMazeKernels
import Foundation

extension Variable {
    /// `-x`.
    public func negated() throws(TensorError) -> Variable {
        try elementwise {
            -$0
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, _, _ in -gradient }
        }
    }

    /// `e^x`; overflows to `inf` above about 88, as Float32 does.
    public func exp() throws(TensorError) -> Variable {
        try elementwise {
            Foundation.exp($0)
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, _, output in gradient * output }
        }
    }

    /// Natural logarithm; `log(0)` is `-inf` and its gradient `inf`, as in IEEE arithmetic.
    public func log() throws(TensorError) -> Variable {
        try elementwise {
            Foundation.log($0)
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, input, _ in gradient / input }
        }
    }

    /// Hyperbolic tangent (the vectorised approximation also used by fused layers).
    public func tanh() throws(TensorError) -> Variable {
        try elementwise(FastMath.tanh) {
            $0.addElementwiseGradient($1, $2) { gradient, _, output in gradient * (1 - output * output) }
        }
    }

    /// `max(x, 0)`; the gradient at exactly 0 is taken as 0.
    public func relu() throws(TensorError) -> Variable {
        try elementwise {
            Swift.max($0, 0)
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, input, _ in input > 0 ? gradient : 0 }
        }
    }

    /// SELU, as ``Activation/selu`` (and torch's `SELU`); its slope below 0 is `f(x) + λ α`.
    public func selu() throws(TensorError) -> Variable {
        let (alpha, scale) = (Float(MAZE_SELU_ALPHA), Float(MAZE_SELU_SCALE))
        return try elementwise {
            $0 > 0 ? scale * $0 : scale * alpha * (Foundation.exp($0) - 1)
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, _, output in
                gradient * (output > 0 ? scale : output + scale * alpha)
            }
        }
    }

    /// Logistic function, computed without overflow for large `|x|`.
    public func sigmoid() throws(TensorError) -> Variable {
        try elementwise(Self.logistic) {
            $0.addElementwiseGradient($1, $2) { gradient, _, output in gradient * output * (1 - output) }
        }
    }

    /// `log(1 + exp(x))`, computed as `max(x, 0) + log1p(exp(-|x|))` so large inputs neither overflow nor lose precision.
    public func softplus() throws(TensorError) -> Variable {
        try elementwise {
            Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0)))
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, input, _ in gradient * Self.logistic(input) }
        }
    }

    /// `x²`.
    public func squared() throws(TensorError) -> Variable {
        try elementwise {
            $0 * $0
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, input, _ in 2 * input * gradient }
        }
    }

    /// `√x`; the gradient at 0 is infinite.
    public func squareRoot() throws(TensorError) -> Variable {
        try elementwise {
            Foundation.sqrt($0)
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, _, output in gradient / (2 * output) }
        }
    }

    /// Limits every element to `lower...upper`; the gradient passes where the input is inside the
    /// closed interval and is 0 outside (PPO's clipped ratio).
    public func clamped(to range: ClosedRange<Float>) throws(TensorError) -> Variable {
        let lower = range.lowerBound
        let upper = range.upperBound
        // The bounds travel in the operation's numbers, so the backward step captures nothing.
        return try elementwise(numbers: (lower, upper)) {
            Swift.min(Swift.max($0, lower), upper)
        } backward: { tape, operation, upstream in
            let (lower, upper) = operation.numbers
            tape.addElementwiseGradient(operation, upstream) { gradient, input, _ in
                input >= lower && input <= upper ? gradient : 0
            }
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

    /// Records `forward` applied element-wise; `backward` adds the gradient with
    /// ``Tape/addElementwiseGradient(_:_:derivative:)`` and captures nothing (`numbers` are the operation's).
    func elementwise(
        numbers: (Float, Float) = (0, 0), _ forward: (Float) -> Float, backward: @escaping Tape.Backward
    ) throws(TensorError) -> Variable {
        try tape.check(self)
        let input = value
        var output = tape.makeBuffer(count: input.scalarCount)
        input.withUnsafeScalars { source in
            output.withUnsafeMutableBufferPointer { target in
                for index in source.indices { target[index] = forward(source[index]) }
            }
        }
        return tape.record(
            Tensor(uncheckedShape: input.shape, scalars: output), Operation(self, numbers: numbers), backward: backward)
    }
}

extension Tape {
    /// The backward step of an element-wise operation: `derivative(upstream, input, output)` is the local gradient.
    func addElementwiseGradient(
        _ operation: Operation, _ upstream: Tensor,
        derivative: (_ gradient: Float, _ input: Float, _ output: Float) -> Float
    ) {
        let input = value(of: operation.first)
        let result = value(of: operation.node)
        accumulate(into: operation.first) { gradient in
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

extension Variable {
    /// `-x`.
    public static prefix func - (operand: Variable) throws(TensorError) -> Variable {
        try operand.negated()
    }
}
