import Foundation
import MazeTensor
import Testing

@Suite("Layers, initialisation and named parameters")
struct LayerTests {
    /// Row-major `a · bᵀ` in Float64, for orthogonality checks.
    private func gram(_ matrix: Tensor, rowsAreVectors: Bool) -> [[Double]] {
        let rows = matrix.shape[0]
        let columns = matrix.shape[1]
        let count = rowsAreVectors ? rows : columns
        let length = rowsAreVectors ? columns : rows
        func element(_ vector: Int, _ k: Int) -> Double {
            Double(rowsAreVectors ? matrix.scalars[vector * columns + k] : matrix.scalars[k * columns + vector])
        }
        return (0..<count).map { i in
            (0..<count).map { j in (0..<length).reduce(0) { $0 + element(i, $1) * element(j, $1) } }
        }
    }

    @Test(arguments: [(64, 4), (2, 64), (16, 16)])
    func orthogonalInitialisationHasOrthonormalVectorsScaledByGain(outputs: Int, inputs: Int) throws {
        var generator = SeededGenerator(seed: 9)
        let gain: Float = 1.5
        let weight = try Initializer.orthogonal(gain: gain).weight(outputs: outputs, inputs: inputs, using: &generator)
        #expect(weight.shape == [outputs, inputs])
        let products = gram(weight, rowsAreVectors: outputs <= inputs)
        for (i, row) in products.enumerated() {
            for (j, value) in row.enumerated() {
                #expect(abs(value - (i == j ? Double(gain * gain) : 0)) < 1e-5)
            }
        }
    }

    @Test func xavierAndHeHaveTheirScale() throws {
        var generator = SeededGenerator(seed: 10)
        let xavier = try Initializer.xavierUniform(gain: 1).weight(outputs: 200, inputs: 100, using: &generator)
        let bound = Float(6.0 / 300).squareRoot()
        #expect(xavier.scalars.allSatisfy { abs($0) <= bound })
        #expect(xavier.scalars.contains { abs($0) > 0.9 * bound })
        let he = try Initializer.heNormal.weight(outputs: 200, inputs: 100, using: &generator)
        let variance = he.scalars.reduce(0) { $0 + Double($1) * Double($1) } / Double(he.scalarCount)
        // 20 000 samples: the variance estimate is within ±2 % of 2/100 with overwhelming probability.
        #expect(abs(variance - 0.02) < 0.02 * 0.05)
        #expect(throws: TensorError.invalidShape([0, 3])) {
            try Initializer.heNormal.weight(outputs: 0, inputs: 3, using: &generator)
        }
    }

    @Test func mlpParametersHaveStableDottedNames() throws {
        let mlp = try MLP(name: "policy", sizes: [4, 64, 64, 2], activation: .tanh)
        var generator = SeededGenerator(seed: 1)
        var parameters = ParameterStore()
        try mlp.initialize(
            &parameters, hidden: .orthogonal(gain: Float(2).squareRoot()), output: .orthogonal(gain: 0.01),
            using: &generator)
        #expect(
            parameters.names == [
                "policy.0.bias", "policy.0.weight", "policy.1.bias", "policy.1.weight", "policy.2.bias",
                "policy.2.weight",
            ])
        #expect(try parameters.tensor(named: "policy.1.weight").shape == [64, 64])
        #expect(try parameters.tensor(named: "policy.2.bias") == Tensor(repeating: 0, shape: [2]))
        #expect(parameters.scalarCount == 4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2)
        #expect(throws: TensorError.self) { try MLP(name: "bad", sizes: [4], activation: .tanh) }
        #expect(throws: TensorError.self) { try Linear(name: "bad", inputs: 0, outputs: 3) }
    }

    @Test func flatVectorFollowsNameOrderAndRoundTrips() throws {
        var parameters = ParameterStore([
            "b.weight": try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]),
            "a.bias": try Tensor(shape: [1], scalars: [5]),
            "c": Tensor(6),
        ])
        #expect(parameters.flattened() == [5, 1, 2, 3, 4, 6])
        try parameters.assignFlattened([10, 20, 30, 40, 50, 60])
        #expect(try parameters.tensor(named: "b.weight") == Tensor(shape: [2, 2], scalars: [20, 30, 40, 50]))
        #expect(try parameters.tensor(named: "c").scalar == 60)
        #expect(throws: TensorError.self) { try parameters.assignFlattened([1, 2]) }
    }

    @Test func inferenceMatchesTheTapeAndAHandComputation() throws {
        let mlp = try MLP(name: "net", sizes: [3, 4, 2], activation: .tanh)
        var generator = SeededGenerator(seed: 2)
        var parameters = ParameterStore()
        try mlp.initialize(&parameters, hidden: .xavierUniform(gain: 1), using: &generator)
        parameters["net.0.bias"] = try Tensor(shape: [4], scalars: [0.1, -0.2, 0.3, -0.4])
        let input = try Fixtures.tensor([5, 3])

        let inferred = try mlp(input, parameters)
        let tape = Tape()
        let taped = try mlp(tape.constant(input), tape.bind(parameters)).value
        #expect(inferred == taped)

        let w0 = try parameters.tensor(named: "net.0.weight").scalars
        let b0 = try parameters.tensor(named: "net.0.bias").scalars
        let w1 = try parameters.tensor(named: "net.1.weight").scalars
        for row in 0..<5 {
            let x = (0..<3).map { Double(input.scalars[row * 3 + $0]) }
            let hidden = (0..<4).map { (j: Int) -> Double in
                var sum = Double(b0[j])
                for i in 0..<3 { sum += Double(w0[j * 3 + i]) * x[i] }
                return Foundation.tanh(sum)
            }
            for k in 0..<2 {
                let expected = (0..<4).reduce(0.0) { $0 + Double(w1[k * 4 + $1]) * hidden[$1] }
                #expect(abs(Double(inferred.scalars[row * 2 + k]) - expected) < 1e-5)
            }
        }
        #expect(throws: TensorError.self) { try mlp(try Fixtures.tensor([5, 2]), parameters) }
        #expect(throws: TensorError.missingParameter("net.0.weight")) { try mlp(input, ParameterStore()) }
    }

    @Test func tanhApproximationIsAccurate() throws {
        // The vectorisable rational tanh against libm in Float64 on [-10, 10]: within 5·10⁻⁷ absolute
        // (measured 3.0·10⁻⁷, about 5 ulp of Float32 values just below 1), and exactly ±1 in saturation.
        let grid = (0...4000).map { Float($0) / 200 - 10 }
        let result = try Tape().constant(Tensor(grid)).tanh().value.scalars
        let worst = zip(grid, result).map { abs(Double($1) - Foundation.tanh(Double($0))) }.max() ?? .infinity
        #expect(worst < 5e-7)
        #expect(result.first == -1 && result.last == 1)
    }

    @Test func fusedLayerTanhIsTheElementwiseTanhBitForBit() throws {
        // The dense layer's bias-and-activation pass is a C kernel (vectorised for the CPU); through an identity
        // weight and a zero bias it must give the bits of `Variable.tanh` (FastMath.tanh in Swift), also for tiny
        // and saturated inputs and at the clamp.
        let grid = (0...3995).map { Float($0) / 200 - 10 } + [0, 1e-30, -1e-30, 1e30, -1e30, 7.9, -8, 7.905, -7.906]
        let width = 5
        let tape = Tape()
        let input = tape.constant(try Tensor(shape: [grid.count / width, width], scalars: grid))
        let identity = (0..<width * width).map { Float($0 / width == $0 % width ? 1 : 0) }
        let weight = tape.constant(try Tensor(shape: [width, width], scalars: identity))
        let bias = tape.constant(Tensor([Float](repeating: 0, count: width)))
        let fused = try input.linear(weight: weight, bias: bias, activation: .tanh).value.scalars
        let elementwise = try tape.constant(Tensor(grid)).tanh().value.scalars
        #expect(fused.map(\.bitPattern) == elementwise.map(\.bitPattern))
    }

    @Test func seluIsTorchsSELUInTheFusedLayerAndElementwise() throws {
        // torch.nn.SELU's definition in Float64 (λ = 1.0507009873554805, α = 1.6732632423543772).
        let inputs: [Float] = [-3, -1, -0.5, -1e-3, 0, 1e-3, 0.5, 2]
        let expected: [Double] = [
            -1.6705687287671118, -1.1113307378125625, -0.6917581878028713, -0.0017572205841202171, 0,
            0.0010507009873554805, 0.5253504936777402, 2.101401974710961,
        ]
        let tape = Tape()
        let elementwise = try tape.constant(Tensor(inputs)).selu().value.scalars
        let input = tape.constant(try Tensor(shape: [inputs.count, 1], scalars: inputs))
        let weight = tape.constant(try Tensor(shape: [1, 1], scalars: [1]))
        let fused = try input.linear(weight: weight, bias: nil, activation: .selu).value.scalars
        for (index, reference) in expected.enumerated() {
            #expect(abs(Double(elementwise[index]) - reference) <= 1e-6 * max(1, abs(reference)), "\(inputs[index])")
            #expect(abs(Double(fused[index]) - reference) <= 1e-6 * max(1, abs(reference)), "\(inputs[index])")
        }
    }
}
