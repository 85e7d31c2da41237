import Foundation
import Testing

@testable import MazeTensor

/// Each optimizer's first steps against its update equations written out here in Float64.
/// Tolerance 1e-6 relative: the library computes in Float32 (ε ≈ 6·10⁻⁸), a few operations per step.
@Suite("Optimizers")
struct OptimizerTests {
    static let initial: [Double] = [0.5, -1.25, 2.0]
    /// Gradients of the three steps, different each step so that the moments matter.
    static let gradients: [[Double]] = [[0.1, -0.4, 1.5], [-0.3, 0.2, 0.7], [0.05, -0.1, -2.0]]

    private func run(_ optimizer: inout some Optimizer) throws -> [[Float]] {
        var parameters = ParameterStore(["w": try Tensor(shape: [3], scalars: Self.initial.map(Float.init))])
        var trajectory: [[Float]] = []
        for gradient in Self.gradients {
            try optimizer.update(
                &parameters, gradients: ParameterStore(["w": try Tensor(shape: [3], scalars: gradient.map(Float.init))])
            )
            trajectory.append(try parameters.tensor(named: "w").scalars)
        }
        return trajectory
    }

    private func expectClose(
        _ actual: [[Float]], _ expected: [[Double]], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for (step, (got, want)) in zip(actual, expected).enumerated() {
            for (a, e) in zip(got, want) {
                #expect(
                    abs(Double(a) - e) <= 1e-6 * max(1, abs(e)), "step \(step + 1): \(a) vs \(e)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    @Test func sgdWithMomentum() throws {
        var optimizer = SGD(learningRate: .constant(0.1), momentum: 0.9)
        var theta = Self.initial
        var buffer = [0.0, 0, 0]
        var expected: [[Double]] = []
        for g in Self.gradients {
            for i in 0..<3 {
                buffer[i] = 0.9 * buffer[i] + g[i]
                theta[i] -= 0.1 * buffer[i]
            }
            expected.append(theta)
        }
        expectClose(try run(&optimizer), expected)
        #expect(optimizer.state.step == 3)
    }

    @Test func plainSGDFollowsALinearSchedule() throws {
        // Rates 0.1, 0.075, 0.05 for steps 0, 1, 2 of a schedule from 0.1 to 0 over 4 steps.
        var optimizer = SGD(learningRate: .linear(initial: 0.1, final: 0, steps: 4))
        var theta = Self.initial
        var expected: [[Double]] = []
        for (step, g) in Self.gradients.enumerated() {
            let rate = 0.1 * (1 - Double(step) / 4)
            for i in 0..<3 { theta[i] -= rate * g[i] }
            expected.append(theta)
        }
        expectClose(try run(&optimizer), expected)
        #expect(LearningRateSchedule.linear(initial: 0.1, final: 0, steps: 4).rate(atStep: 10) == 0)
    }

    @Test func adam() throws {
        var optimizer = Adam(learningRate: .constant(0.01), beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
        expectClose(try run(&optimizer), Self.adamReference(initial: Self.initial, gradients: Self.gradients))
    }

    /// Nineteen elements: two full blocks of the kernel's eight lanes and a tail of three, each element
    /// following the same equations.
    @Test func adamOverVectorLanesAndTail() throws {
        let initial: [Double] = (0..<19).map { (index: Int) -> Double in Double(index) * 0.25 - 2 }
        let gradients: [[Double]] = (0..<3).map { (step: Int) -> [Double] in
            (0..<19).map { (index: Int) -> Double in Double((index * 7 + step * 5) % 11) * 0.3 - 1.5 }
        }
        var parameters = ParameterStore(["w": try Tensor(shape: [19], scalars: initial.map(Float.init))])
        var optimizer = Adam(learningRate: .constant(0.01))
        var trajectory: [[Float]] = []
        for gradient in gradients {
            let step = ParameterStore(["w": try Tensor(shape: [19], scalars: gradient.map(Float.init))])
            try optimizer.update(&parameters, gradients: step)
            trajectory.append(try parameters.tensor(named: "w").scalars)
        }
        expectClose(trajectory, Self.adamReference(initial: initial, gradients: gradients))
    }

    /// Adam's equations in Float64 with PyTorch's default decays, ε = 10⁻⁸ and a learning rate of 0.01.
    private static func adamReference(initial: [Double], gradients: [[Double]]) -> [[Double]] {
        var theta = initial
        var m = [Double](repeating: 0, count: initial.count)
        var v = m
        var expected: [[Double]] = []
        for (step, g) in gradients.enumerated() {
            let t = Double(step + 1)
            for i in theta.indices {
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                let mHat = m[i] / (1 - pow(0.9, t))
                let vHat = v[i] / (1 - pow(0.999, t))
                theta[i] -= 0.01 * mHat / (vHat.squareRoot() + 1e-8)
            }
            expected.append(theta)
        }
        return expected
    }

    @Test func adamUpdatesParametersAndMomentsInPlace() throws {
        var parameters = ParameterStore(["w": try Tensor(shape: [64], scalars: (0..<64).map { Float($0) / 64 })])
        let gradients = ParameterStore(["w": try Tensor(repeating: 0.5, shape: [64])])
        var optimizer = Adam(learningRate: .constant(0.01))
        try optimizer.update(&parameters, gradients: gradients)
        let addresses = { (optimizer: Adam, parameters: ParameterStore) throws -> [UnsafeRawPointer?] in
            try [parameters, optimizer.state.slots["exp_avg"], optimizer.state.slots["exp_avg_sq"]].map { store in
                try #require(store).tensor(named: "w").withUnsafeScalars { UnsafeRawPointer($0.baseAddress) }
            }
        }
        let before = try addresses(optimizer, parameters)
        try optimizer.update(&parameters, gradients: gradients)
        #expect(try addresses(optimizer, parameters) == before, "a copy-on-write copy would move the storage")
    }

    @Test func rmsprop() throws {
        var optimizer = RMSprop(learningRate: .constant(0.01), alpha: 0.99, epsilon: 1e-8)
        var theta = Self.initial
        var v = [0.0, 0, 0]
        var expected: [[Double]] = []
        for g in Self.gradients {
            for i in 0..<3 {
                v[i] = 0.99 * v[i] + 0.01 * g[i] * g[i]
                theta[i] -= 0.01 * g[i] / (v[i].squareRoot() + 1e-8)
            }
            expected.append(theta)
        }
        expectClose(try run(&optimizer), expected)
    }

    @Test func savedStateResumesExactly() throws {
        // Two steps, save (through JSON), restore into a fresh optimizer, one more step: identical to three steps.
        var uninterrupted = Adam(learningRate: .constant(0.01))
        let reference = try run(&uninterrupted)

        var first = Adam(learningRate: .constant(0.01))
        var parameters = ParameterStore(["w": try Tensor(shape: [3], scalars: Self.initial.map(Float.init))])
        for gradient in Self.gradients.prefix(2) {
            try first.update(
                &parameters, gradients: ParameterStore(["w": try Tensor(shape: [3], scalars: gradient.map(Float.init))])
            )
        }
        let saved = try JSONEncoder().encode(first.state)
        var resumed = Adam(learningRate: .constant(0.01))
        resumed.restore(try JSONDecoder().decode(OptimizerState.self, from: saved))
        #expect(resumed.state.slots.keys.sorted() == ["exp_avg", "exp_avg_sq"])
        try resumed.update(
            &parameters,
            gradients: ParameterStore(["w": try Tensor(shape: [3], scalars: Self.gradients[2].map(Float.init))]))
        #expect(try parameters.tensor(named: "w").scalars == reference[2])
    }

    @Test func missingOrMisshapenGradientsAreErrors() throws {
        var optimizer = SGD(learningRate: .constant(0.1))
        var parameters = ParameterStore(["w": try Tensor(repeating: 1, shape: [3])])
        #expect(throws: TensorError.missingParameter("w")) {
            try optimizer.update(&parameters, gradients: ParameterStore())
        }
        #expect(throws: TensorError.self) {
            try optimizer.update(&parameters, gradients: ParameterStore(["w": try Tensor(repeating: 1, shape: [2])]))
        }
    }

    @Test func globalNormClipping() throws {
        // Norm of (3, 4) and (12) is 13; clipping to 6.5 halves everything (up to the 1e-6 guard).
        var gradients = ParameterStore(["a": try Tensor(shape: [2], scalars: [3, 4]), "b": Tensor(12)])
        let norm = gradients.clipGlobalNorm(to: 6.5)
        #expect(abs(norm - 13) < 1e-5)
        #expect(try gradients.tensor(named: "a").scalars.elementsEqual([1.5, 2]) { abs($0 - $1) < 1e-5 })
        #expect(abs((try gradients.tensor(named: "b").scalar ?? 0) - 6) < 1e-5)
        // Already within the bound: untouched.
        let before = gradients
        gradients.clipGlobalNorm(to: 100)
        #expect(gradients == before)
    }
}

@Suite("Optimizer state validation")
struct OptimizerStateValidationTests {
    @Test func restoredStateMustFitTheParameters() throws {
        var optimizer = Adam(learningRate: .constant(0.1))
        optimizer.restore(
            OptimizerState(step: 3, slots: ["exp_avg": ParameterStore(["w": try Tensor(repeating: 0, shape: [5])])]))
        let original = ParameterStore(["w": try Tensor(repeating: 1, shape: [3])])
        var parameters = original
        #expect(throws: TensorError.self) {
            try optimizer.update(&parameters, gradients: ParameterStore(["w": try Tensor(repeating: 1, shape: [3])]))
        }
        #expect(parameters == original)
    }

    @Test func decodingValidatesTensors() {
        let malformed = Data(#"{"shape": [2, 2], "scalars": [1, 2, 3]}"#.utf8)
        #expect(throws: TensorError.scalarCountMismatch(shape: [2, 2], count: 3)) {
            try JSONDecoder().decode(Tensor.self, from: malformed)
        }
    }
}
