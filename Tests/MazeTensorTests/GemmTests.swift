import Testing

@testable import MazeTensor

/// `Gemm.multiply`'s two routes for a dense layer's `x · Wᵀ` (one `sgemv` per row up to
/// `rowsPerMatrixVectorProduct` rows, `sgemm` above) compute the same product as a Float64 reference, with `beta`
/// adding to what `c` held.
struct GemmTests {
    @Test(arguments: [1, 2, 4, 5, 9])
    func aProductWithATransposedWeightMatchesTheReferenceAtEveryRowCount(rows: Int) {
        let (outputs, inputs) = (7, 13)
        var generator = SeededGenerator(seed: UInt64(rows))
        let a = (0..<(rows * inputs)).map { _ in Float.random(in: -1...1, using: &generator) }
        let b = (0..<(outputs * inputs)).map { _ in Float.random(in: -1...1, using: &generator) }
        let previous = (0..<(rows * outputs)).map { _ in Float.random(in: -1...1, using: &generator) }
        for beta: Float in [0, 1] {
            var c = previous
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        Gemm.multiply(
                            a.baseAddress!, b.baseAddress!, into: c.baseAddress!, m: rows, n: outputs, k: inputs,
                            transposeB: true, alpha: 0.5, beta: beta)
                    }
                }
            }
            for row in 0..<rows {
                for column in 0..<outputs {
                    var expected = Double(beta) * Double(previous[row * outputs + column])
                    for index in 0..<inputs {
                        expected += 0.5 * Double(a[row * inputs + index]) * Double(b[column * inputs + index])
                    }
                    #expect(abs(Double(c[row * outputs + column]) - expected) < 1e-5, "row \(row), column \(column)")
                }
            }
        }
    }
}
