import MazeTensor
import MazeTestSupport
import Testing

/// One element-wise operation with the input range on which its gradient is checked.
struct UnaryCase: Sendable, CustomTestStringConvertible {
    let name: String
    let range: ClosedRange<Float>
    let apply: @Sendable (Variable) throws -> Variable
    var testDescription: String { name }
}

/// One broadcasting operation with the ranges of its two operands.
struct BinaryCase: Sendable, CustomTestStringConvertible {
    let name: String
    let lhsRange: ClosedRange<Float>
    let rhsRange: ClosedRange<Float>
    let apply: @Sendable (Variable, Variable) throws -> Variable
    var testDescription: String { name }
}

@Suite("Gradients of element-wise operations")
struct ElementwiseGradientTests {
    static let shapes: [[Int]] = [[], [5], [2, 3], [2, 3, 4]]

    static let unaryCases: [UnaryCase] = [
        UnaryCase(name: "neg", range: -2...2) { try -$0 },
        UnaryCase(name: "exp", range: -3...3) { try $0.exp() },
        UnaryCase(name: "log", range: 0.2...3) { try $0.log() },
        UnaryCase(name: "tanh", range: -3...3) { try $0.tanh() },
        // Kink at 0: inputs kept at least one step away from it.
        UnaryCase(name: "relu", range: 0.05...2) { try $0.relu() },
        UnaryCase(name: "relu-negative", range: -2 ... -0.05) { try $0.relu() },
        UnaryCase(name: "selu", range: 0.05...2) { try $0.selu() },
        UnaryCase(name: "selu-negative", range: -3 ... -0.05) { try $0.selu() },
        UnaryCase(name: "sigmoid", range: -4...4) { try $0.sigmoid() },
        UnaryCase(name: "softplus", range: -4...4) { try $0.softplus() },
        UnaryCase(name: "square", range: -2...2) { try $0.squared() },
        UnaryCase(name: "sqrt", range: 0.2...3) { try $0.squareRoot() },
        UnaryCase(name: "pow-scalar", range: 0.3...2) { try $0.pow(1.7) },
        // Inside and outside of the interval, away from its ends.
        UnaryCase(name: "clamp-inside", range: -0.15...0.15) { try $0.clamped(to: -0.2...0.2) },
        UnaryCase(name: "clamp-outside", range: 0.25...2) { try $0.clamped(to: -0.2...0.2) },
        UnaryCase(name: "logGamma", range: 0.3...5) { try $0.logGamma() },
        UnaryCase(name: "digamma", range: 0.5...5) { try $0.digamma() },
        UnaryCase(name: "scalar-arithmetic", range: 0.5...2) { try (2 - $0 * 3 + 1) / 4 + 1 / $0 },
    ]

    @Test(arguments: unaryCases, shapes)
    func unaryOperationMatchesFiniteDifferences(_ operation: UnaryCase, shape: [Int]) throws {
        let input = try Fixtures.tensor(shape, in: operation.range, seed: UInt64(shape.count + 7))
        let mismatches = try GradientChecker().mismatches([input]) { try operation.apply($0[0]) }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    static let binaryCases: [BinaryCase] = [
        BinaryCase(name: "add", lhsRange: -2...2, rhsRange: -2...2) { try $0 + $1 },
        BinaryCase(name: "sub", lhsRange: -2...2, rhsRange: -2...2) { try $0 - $1 },
        BinaryCase(name: "mul", lhsRange: -2...2, rhsRange: -2...2) { try $0 * $1 },
        BinaryCase(name: "div", lhsRange: -2...2, rhsRange: 0.5...2) { try $0 / $1 },
        BinaryCase(name: "pow", lhsRange: 0.5...2, rhsRange: -2...2) { try $0.pow($1) },
        // Operand ranges are disjoint so that no element sits at the kink where they are equal.
        BinaryCase(name: "minimum", lhsRange: -2 ... -0.1, rhsRange: 0.1...2) { try $0.minimum($1) },
        BinaryCase(name: "minimum-swapped", lhsRange: 0.1...2, rhsRange: -2 ... -0.1) { try $0.minimum($1) },
        BinaryCase(name: "maximum", lhsRange: -2 ... -0.1, rhsRange: 0.1...2) { try $0.maximum($1) },
        BinaryCase(name: "maximum-swapped", lhsRange: 0.1...2, rhsRange: -2 ... -0.1) { try $0.maximum($1) },
    ]

    /// Same shapes, a row vector, a column against a row, and a scalar on either side.
    static let broadcastShapes: [([Int], [Int])] = [
        ([2, 3], [2, 3]), ([2, 3], [3]), ([2, 1, 4], [3, 1]), ([], [2, 3]), ([2, 3], []),
    ]

    @Test(arguments: binaryCases, broadcastShapes)
    func broadcastingOperationMatchesFiniteDifferences(_ operation: BinaryCase, shapes: ([Int], [Int])) throws {
        let lhs = try Fixtures.tensor(shapes.0, in: operation.lhsRange, seed: 3)
        let rhs = try Fixtures.tensor(shapes.1, in: operation.rhsRange, seed: 4)
        let mismatches = try GradientChecker().mismatches([lhs, rhs]) { try operation.apply($0[0], $0[1]) }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func extremeInputsKeepFiniteGradients() throws {
        // exp/softplus/sigmoid at ±30 and tanh beyond its saturation: values and gradients must stay
        // finite and agree with finite differences (relative tolerance covers exp's 10¹³ scale).
        let input = try Tensor(shape: [4], scalars: [-30, -12, 12, 30])
        for operation: (Variable) throws -> Variable in [
            { try $0.softplus() }, { try $0.sigmoid() }, { try $0.tanh() }, { try $0.exp() },
        ] {
            let mismatches = try GradientChecker().mismatches([input]) { try operation($0[0]) }
            #expect(mismatches.isEmpty, "\(mismatches)")
        }
    }

    @Test func logOfTinyProbabilities() throws {
        // d/dx log x = 1/x reaches 10³⁰; a step of 1% of x keeps the difference quotient within
        // (h/x)²/3 ≈ 3·10⁻⁵ relative of the derivative, and Float32 rounding of log x (|log x| ≤ 70)
        // contributes ≤ 70·6·10⁻⁸ / 0.02 ≈ 2·10⁻⁴ relative, both inside the 10⁻² relative tolerance.
        let input = try Tensor(shape: [4], scalars: [1e-30, 1e-20, 1e-8, 1e-3])
        var checker = GradientChecker()
        checker.step = { 0.01 * $0 }
        let mismatches = try checker.mismatches([input]) { try $0[0].log() }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
