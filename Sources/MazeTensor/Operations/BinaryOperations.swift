import Foundation

extension Variable {
    /// Element-wise sum with NumPy broadcasting; gradients are summed over broadcast axes.
    public static func + (lhs: Variable, rhs: Variable) throws(TensorError) -> Variable {
        try lhs.binary(rhs, "add") {
            $0 + $1
        } backward: {
            $0.addBroadcastGradients(
                $1, $2, lhs: { gradient, _, _, _ in gradient }, rhs: { gradient, _, _, _ in gradient })
        }
    }

    /// Element-wise difference with broadcasting.
    public static func - (lhs: Variable, rhs: Variable) throws(TensorError) -> Variable {
        try lhs.binary(rhs, "subtract") {
            $0 - $1
        } backward: {
            $0.addBroadcastGradients(
                $1, $2, lhs: { gradient, _, _, _ in gradient }, rhs: { gradient, _, _, _ in -gradient })
        }
    }

    /// Element-wise product with broadcasting.
    public static func * (lhs: Variable, rhs: Variable) throws(TensorError) -> Variable {
        try lhs.binary(rhs, "multiply") {
            $0 * $1
        } backward: {
            $0.addBroadcastGradients(
                $1, $2, lhs: { gradient, _, b, _ in gradient * b }, rhs: { gradient, a, _, _ in gradient * a })
        }
    }

    /// Element-wise quotient with broadcasting.
    public static func / (lhs: Variable, rhs: Variable) throws(TensorError) -> Variable {
        try lhs.binary(rhs, "divide") {
            $0 / $1
        } backward: {
            $0.addBroadcastGradients(
                $1, $2, lhs: { gradient, _, b, _ in gradient / b },
                rhs: { gradient, _, b, output in -gradient * output / b })
        }
    }

    /// `self ^ exponent` element-wise with broadcasting. The gradient with respect to the exponent,
    /// `y · log(base)`, is taken as 0 where the base is not positive, where the logarithm is undefined.
    public func pow(_ exponent: Variable) throws(TensorError) -> Variable {
        try binary(exponent, "pow") {
            Foundation.pow($0, $1)
        } backward: {
            $0.addBroadcastGradients(
                $1, $2,
                lhs: { gradient, a, b, _ in
                    b == 0 ? 0 : gradient * b * Foundation.pow(a, b - 1)
                },
                rhs: { gradient, a, _, output in
                    a > 0 ? gradient * output * Foundation.log(a) : 0
                })
        }
    }

    /// Element-wise minimum with broadcasting; on ties the gradient goes to `self`.
    public func minimum(_ other: Variable) throws(TensorError) -> Variable {
        try binary(other, "minimum") {
            Swift.min($0, $1)
        } backward: {
            $0.addBroadcastGradients(
                $1, $2, lhs: { gradient, a, b, _ in a <= b ? gradient : 0 },
                rhs: { gradient, a, b, _ in a <= b ? 0 : gradient })
        }
    }

    /// Element-wise maximum with broadcasting; on ties the gradient goes to `self`.
    public func maximum(_ other: Variable) throws(TensorError) -> Variable {
        try binary(other, "maximum") {
            Swift.max($0, $1)
        } backward: {
            $0.addBroadcastGradients(
                $1, $2, lhs: { gradient, a, b, _ in a >= b ? gradient : 0 },
                rhs: { gradient, a, b, _ in a >= b ? 0 : gradient })
        }
    }

    /// A scalar constant on the same tape, for mixing variables and plain numbers.
    public func constant(_ scalar: Float) -> Variable {
        tape.constant(scalar)
    }

    /// Records `forward` applied with NumPy broadcasting; `backward` adds the gradients with
    /// ``Tape/addBroadcastGradients(_:_:lhs:rhs:)`` and captures nothing.
    private func binary(
        _ other: Variable, _ name: String, _ forward: (Float, Float) -> Float, backward: @escaping Tape.Backward
    ) throws(TensorError) -> Variable {
        try tape.check(self)
        try tape.check(other)
        let lhs = value
        let rhs = other.value
        let shape = try BroadcastPair.shape(lhs.shape, rhs.shape, operation: name)
        var output = tape.makeBuffer(count: Shape.count(shape))
        lhs.withUnsafeScalars { a in
            rhs.withUnsafeScalars { b in
                output.withUnsafeMutableBufferPointer { y in
                    BroadcastPair.forEach(lhs.shape, rhs.shape, result: shape) { out, i, j in
                        y[out] = forward(a[i], b[j])
                    }
                }
            }
        }
        return tape.record(Tensor(uncheckedShape: shape, scalars: output), Operation(self, other), backward: backward)
    }
}

extension Tape {
    /// The backward step of a broadcasting binary operation: each derivative receives
    /// `(upstream, lhs element, rhs element, output element)`; gradients are summed over broadcast axes.
    func addBroadcastGradients(
        _ operation: Operation, _ upstream: Tensor, lhs lhsDerivative: (Float, Float, Float, Float) -> Float,
        rhs rhsDerivative: (Float, Float, Float, Float) -> Float
    ) {
        let lhs = value(of: operation.first)
        let rhs = value(of: operation.second)
        let result = value(of: operation.node)
        upstream.withUnsafeScalars { g in
            lhs.withUnsafeScalars { a in
                rhs.withUnsafeScalars { b in
                    result.withUnsafeScalars { y in
                        accumulate(into: operation.first) { ga in
                            BroadcastPair.forEach(lhs.shape, rhs.shape, result: result.shape) { out, i, j in
                                ga[i] += lhsDerivative(g[out], a[i], b[j], y[out])
                            }
                        }
                        accumulate(into: operation.second) { gb in
                            BroadcastPair.forEach(lhs.shape, rhs.shape, result: result.shape) { out, i, j in
                                gb[j] += rhsDerivative(g[out], a[i], b[j], y[out])
                            }
                        }
                    }
                }
            }
        }
    }
}

// Mixed variable/number arithmetic, so that losses read like their equations (`0.5 * advantage.squared()`).
extension Variable {
    public static func + (lhs: Variable, rhs: Float) throws(TensorError) -> Variable { try lhs + lhs.constant(rhs) }
    public static func + (lhs: Float, rhs: Variable) throws(TensorError) -> Variable { try rhs.constant(lhs) + rhs }
    public static func - (lhs: Variable, rhs: Float) throws(TensorError) -> Variable { try lhs - lhs.constant(rhs) }
    public static func - (lhs: Float, rhs: Variable) throws(TensorError) -> Variable { try rhs.constant(lhs) - rhs }
    public static func * (lhs: Variable, rhs: Float) throws(TensorError) -> Variable { try lhs * lhs.constant(rhs) }
    public static func * (lhs: Float, rhs: Variable) throws(TensorError) -> Variable { try rhs.constant(lhs) * rhs }
    public static func / (lhs: Variable, rhs: Float) throws(TensorError) -> Variable { try lhs / lhs.constant(rhs) }
    public static func / (lhs: Float, rhs: Variable) throws(TensorError) -> Variable { try rhs.constant(lhs) / rhs }

    /// `x^exponent` for a constant exponent.
    public func pow(_ exponent: Float) throws(TensorError) -> Variable { try pow(constant(exponent)) }
}
