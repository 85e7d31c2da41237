import Foundation
import MazeTensor
import MazeTestSupport
import Testing

/// The building blocks later modules need (distributions, an LSTM cell, PPO's objective) written with
/// the public operations, checked against closed forms and finite differences.
@Suite("Distributions, LSTM cell and losses built from the operations")
struct CompositeModelTests {
    private func expectGradientsMatch(
        _ inputs: [Tensor], sourceLocation: SourceLocation = #_sourceLocation,
        _ function: ([Variable]) throws -> Variable
    ) throws {
        let mismatches = try GradientChecker().mismatches(inputs, function)
        #expect(mismatches.isEmpty, "\(mismatches)", sourceLocation: sourceLocation)
    }

    /// log N(x; μ, σ) = −(x−μ)²/(2σ²) − log σ − ½ log 2π, with σ = exp(logσ).
    private func gaussianLogProbability(_ x: Variable, mean: Variable, logDeviation: Variable) throws -> Variable {
        let standardized = try (x - mean) / logDeviation.exp()
        return try -0.5 * standardized.squared() - logDeviation - Float(0.5 * Foundation.log(2 * Double.pi))
    }

    /// log Beta(x; α, β) = (α−1) log x + (β−1) log(1−x) − [log Γ(α) + log Γ(β) − log Γ(α+β)].
    private func betaLogProbability(_ x: Variable, alpha: Variable, beta: Variable) throws -> Variable {
        let logNormalizer = try alpha.logGamma() + beta.logGamma() - (alpha + beta).logGamma()
        return try (alpha - 1) * x.log() + (beta - 1) * (1 - x).log() - logNormalizer
    }

    /// Entropy of Beta(α, β): log B(α,β) − (α−1)ψ(α) − (β−1)ψ(β) + (α+β−2)ψ(α+β).
    private func betaEntropy(alpha: Variable, beta: Variable) throws -> Variable {
        let total = try alpha + beta
        let logNormalizer = try alpha.logGamma() + beta.logGamma() - total.logGamma()
        return try logNormalizer - (alpha - 1) * alpha.digamma() - (beta - 1) * beta.digamma() + (total - 2)
            * total.digamma()
    }

    @Test func gaussianLogProbabilityMatchesTheDensity() throws {
        let tape = Tape()
        let value = try gaussianLogProbability(
            tape.constant(Tensor([0.3, -1])), mean: tape.constant(Tensor([0, 0.5])),
            logDeviation: tape.constant(Tensor([0, Float(Foundation.log(2.0))])))
        // N(0.3; 0, 1) and N(−1; 0.5, 2) from the density formula.
        let expected = [
            -0.5 * 0.09 - 0.5 * Foundation.log(2 * Double.pi),
            -0.5 * 0.5625 - Foundation.log(2.0) - 0.5 * Foundation.log(2 * Double.pi),
        ]
        for (got, want) in zip(value.value.scalars, expected) { #expect(abs(Double(got) - want) < 1e-6) }
        try expectGradientsMatch([
            try Fixtures.tensor([3, 2]), try Fixtures.tensor([2], seed: 2),
            try Fixtures.tensor([2], in: -1...1, seed: 3),
        ]) {
            try gaussianLogProbability($0[0], mean: $0[1], logDeviation: $0[2])
        }
    }

    @Test func betaLogProbabilityAndEntropy() throws {
        let tape = Tape()
        let alpha = tape.constant(Tensor([2, 1]))
        let beta = tape.constant(Tensor([3, 1]))
        // Beta(2, 3) at 0.4 has density 12 · 0.4 · 0.6² = 1.728; Beta(1, 1) is uniform.
        let logProbability = try betaLogProbability(tape.constant(Tensor([0.4, 0.7])), alpha: alpha, beta: beta)
        #expect(abs(Double(logProbability.value.scalars[0]) - Foundation.log(1.728)) < 1e-5)
        #expect(abs(logProbability.value.scalars[1]) < 1e-6)
        // Entropy of Beta(1, 1) is 0; of Beta(2, 3) it is log B(2,3) − ψ(2) − 2ψ(3) + 3ψ(5) ≈ −0.2349066.
        let entropy = try betaEntropy(alpha: alpha, beta: beta)
        #expect(abs(Double(entropy.value.scalars[0]) - -0.2349066) < 1e-5)
        #expect(abs(entropy.value.scalars[1]) < 1e-6)
        let x = try Fixtures.tensor([4], in: 0.2...0.8)
        let a = try Fixtures.tensor([4], in: 0.8...4, seed: 2)
        let b = try Fixtures.tensor([4], in: 0.8...4, seed: 3)
        try expectGradientsMatch([x, a, b]) { try betaLogProbability($0[0], alpha: $0[1], beta: $0[2]) }
        try expectGradientsMatch([a, b]) { try betaEntropy(alpha: $0[0], beta: $0[1]) }
    }

    @Test func digammaKnownValues() throws {
        let tape = Tape()
        let x = tape.parameter(Tensor([1, 0.5]))
        let psi = try x.digamma()
        let eulerGamma = 0.5772156649015329
        #expect(abs(Double(psi.value.scalars[0]) + eulerGamma) < 1e-6)
        #expect(abs(Double(psi.value.scalars[1]) + eulerGamma + 2 * Foundation.log(2.0)) < 1e-6)
        try tape.backward(from: psi.slice(alongAxis: 0, 0..<1).sum())
        // ψ′(1) = π²/6.
        #expect(abs(Double(try #require(try tape.gradient(of: x)).scalars[0]) - Double.pi * Double.pi / 6) < 1e-5)
    }

    /// One LSTM step: gates = x·Wₓ + h·Wₕ + b split into input, forget, cell and output gates.
    private func lstmCell(
        x: Variable, h: Variable, c: Variable, inputWeight: Variable, hiddenWeight: Variable, bias: Variable
    ) throws -> Variable {
        let hiddenSize = h.shape[1]
        let gates = try x.matmul(inputWeight) + h.matmul(hiddenWeight) + bias
        let input = try gates.slice(alongAxis: 1, 0..<hiddenSize).sigmoid()
        let forget = try gates.slice(alongAxis: 1, hiddenSize..<(2 * hiddenSize)).sigmoid()
        let candidate = try gates.slice(alongAxis: 1, (2 * hiddenSize)..<(3 * hiddenSize)).tanh()
        let output = try gates.slice(alongAxis: 1, (3 * hiddenSize)..<(4 * hiddenSize)).sigmoid()
        let cell = try forget * c + input * candidate
        return try Variable.concatenate([output * cell.tanh(), cell], alongAxis: 1)
    }

    @Test func lstmCellGradients() throws {
        let inputs = [
            try Fixtures.tensor([2, 3], seed: 1), try Fixtures.tensor([2, 2], in: -1...1, seed: 2),
            try Fixtures.tensor([2, 2], in: -1...1, seed: 3),
            try Fixtures.tensor([3, 8], in: -1...1, seed: 4), try Fixtures.tensor([2, 8], in: -1...1, seed: 5),
            try Fixtures.tensor([8], in: -1...1, seed: 6),
        ]
        try expectGradientsMatch(inputs) {
            try lstmCell(x: $0[0], h: $0[1], c: $0[2], inputWeight: $0[3], hiddenWeight: $0[4], bias: $0[5])
        }
    }

    @Test func ppoClippedObjectiveGradients() throws {
        // −min(r·A, clip(r, 0.8, 1.2)·A) with r = exp(logπ − logπ_old); ratios are kept off the clip edges.
        let newLogits = try Fixtures.tensor([4, 3], in: -1...1, seed: 7)
        let oldLogProbabilities = try Tensor(shape: [4, 1], scalars: [-1.2, -0.9, -1.5, -0.4])
        let actions = try IndexTensor(shape: [4, 1], elements: [0, 2, 1, 1])
        let advantages = try Tensor(shape: [4, 1], scalars: [1.5, -0.7, 0.3, -2])
        try expectGradientsMatch([newLogits]) { inputs in
            let tape = inputs[0].tape
            let logProbability = try inputs[0].logSoftmax().gather(alongAxis: 1, indices: actions)
            let ratio = try (logProbability - tape.constant(oldLogProbabilities)).exp()
            let advantage = tape.constant(advantages)
            return try -(ratio * advantage).minimum(ratio.clamped(to: 0.8...1.2) * advantage).mean()
        }
    }
}
