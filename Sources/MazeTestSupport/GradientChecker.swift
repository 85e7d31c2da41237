import MazeTensor

/// Compares the tape's gradients with central finite differences (shared by the tensor and perception tests).
///
/// The function under test is reduced to a scalar by a fixed pseudo-random projection
/// `L = Σ wᵢ · outᵢ`, summed in Float64 so that the reduction adds no Float32 rounding of its own.
/// The step is taken as the difference of the Float32 values actually evaluated, so large inputs
/// (logits of 10⁴) are handled exactly.
///
/// Tolerance: the forward pass is Float32 (relative rounding ≈ 6·10⁻⁸ per operation, a few operations
/// deep), so `L` carries an absolute error of about 10⁻⁶·Σ|wᵢ·outᵢ| ≲ 10⁻⁵; divided by the step
/// 2h = 2·10⁻² that is ≲ 5·10⁻⁴. The truncation error of the central difference is h²/6·|f'''|,
/// ≲ 2·10⁻⁴ for the smooth functions tested (|f'''| ≲ 10 on the chosen inputs). Hence the default
/// `absolute = 3·10⁻³` and `relative = 10⁻²`, a margin of about 4 over the estimate; tests with
/// steeper functions (log near 0) use a step relative to the input and say so.
public struct GradientChecker {
    public var absolute: Double = 3e-3
    public var relative: Double = 1e-2
    /// The finite-difference step for an input value.
    public var step: (Float) -> Float = { _ in 1e-2 }

    public init(absolute: Double = 3e-3, relative: Double = 1e-2, step: @escaping (Float) -> Float = { _ in 1e-2 }) {
        self.absolute = absolute
        self.relative = relative
        self.step = step
    }

    public struct Mismatch: CustomStringConvertible {
        public let input: Int, element: Int
        public let analytic: Double, numeric: Double
        public var description: String { "input \(input)[\(element)]: analytic \(analytic), numeric \(numeric)" }
    }

    /// Returns every element whose gradients disagree (empty when the check passes).
    public func mismatches(_ inputs: [Tensor], _ function: ([Variable]) throws -> Variable) throws -> [Mismatch] {
        let tape = Tape()
        let variables = inputs.map { tape.parameter($0) }
        let output = try function(variables)
        let weights = Self.projection(count: output.value.scalarCount)
        let projected = try (output * tape.constant(Tensor(shape: output.shape, scalars: weights))).sum()
        try tape.backward(from: projected)

        var found: [Mismatch] = []
        for (inputIndex, input) in inputs.enumerated() {
            let analytic =
                try tape.gradient(of: variables[inputIndex])?.scalars ?? [Float](repeating: 0, count: input.scalarCount)
            for element in 0..<input.scalarCount {
                let x = input.scalars[element]
                let h = step(x)
                let (up, down) = (x + h, x - h)
                let difference =
                    try loss(inputs, inputIndex, element, up, weights, function)
                    - loss(inputs, inputIndex, element, down, weights, function)
                let numeric = difference / (Double(up) - Double(down))
                let exact = Double(analytic[element])
                if !(abs(exact - numeric) <= absolute + relative * abs(numeric)) {
                    found.append(Mismatch(input: inputIndex, element: element, analytic: exact, numeric: numeric))
                }
            }
        }
        return found
    }

    private func loss(
        _ inputs: [Tensor], _ inputIndex: Int, _ element: Int, _ value: Float, _ weights: [Float],
        _ function: ([Variable]) throws -> Variable
    ) throws -> Double {
        var perturbed = inputs
        perturbed[inputIndex].withUnsafeMutableScalars { $0[element] = value }
        let tape = Tape()
        let output = try function(perturbed.map { tape.constant($0) })
        return zip(output.value.scalars, weights).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }

    /// Deterministic weights in [-1, 1] that differ per output element, so that errors cannot cancel.
    private static func projection(count: Int) -> [Float] {
        (0..<count).map { Float(((Double($0) + 1) * 0.7548776662).truncatingRemainder(dividingBy: 1)) * 2 - 1 }
    }
}
