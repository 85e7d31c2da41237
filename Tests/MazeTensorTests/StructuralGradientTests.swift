import MazeTensor
import MazeTestSupport
import Testing

@Suite("Gradients of reductions, softmax, indexing and matrix products")
struct StructuralGradientTests {
    private func expectGradientsMatch(
        _ inputs: [Tensor], checker: GradientChecker = GradientChecker(),
        sourceLocation: SourceLocation = #_sourceLocation, _ function: ([Variable]) throws -> Variable
    ) throws {
        let mismatches = try checker.mismatches(inputs, function)
        #expect(mismatches.isEmpty, "\(mismatches)", sourceLocation: sourceLocation)
    }

    @Test func checkerRejectsAWrongGradient() throws {
        // x · stop(x) has true derivative 2x but the tape sees only x: the checker must notice.
        let input = try Fixtures.tensor([3], in: 0.5...2)
        let mismatches = try GradientChecker().mismatches([input]) { try $0[0] * $0[0].stoppingGradient() }
        #expect(mismatches.count == 3)
    }

    @Test(arguments: [[4], [2, 3], [2, 3, 4]])
    func sumAndMeanOverEveryAxis(shape: [Int]) throws {
        let input = try Fixtures.tensor(shape)
        try expectGradientsMatch([input]) { try $0[0].sum() }
        try expectGradientsMatch([input]) { try $0[0].mean() }
        for axis in -shape.count..<shape.count {
            try expectGradientsMatch([input]) { try $0[0].sum(alongAxis: axis) }
            try expectGradientsMatch([input]) { try $0[0].mean(alongAxis: axis, keepingDimension: true) }
        }
    }

    @Test(arguments: [[5], [3, 4], [2, 3, 4]])
    func maxOverEveryAxis(shape: [Int]) throws {
        // A permutation of well separated values: no ties, so the maximum is differentiable.
        let count = shape.reduce(1, *)
        let values = (0..<count).map { Float(($0 * 7) % count) * 0.25 }
        let input = try Tensor(shape: shape, scalars: values)
        try expectGradientsMatch([input]) { try $0[0].max() }
        for axis in 0..<shape.count {
            try expectGradientsMatch([input]) { try $0[0].max(alongAxis: axis) }
        }
    }

    @Test(arguments: [[5], [3, 4], [2, 3, 4]])
    func softmaxAndLogSoftmaxAlongEveryAxis(shape: [Int]) throws {
        let logits = try Fixtures.tensor(shape, in: -3...3)
        for axis in 0..<shape.count {
            try expectGradientsMatch([logits]) { try $0[0].softmax(alongAxis: axis) }
            try expectGradientsMatch([logits]) { try $0[0].logSoftmax(alongAxis: axis) }
        }
    }

    @Test func logSoftmaxOfLargeLogitsIsStable() throws {
        // Logits of ±10⁴ overflow a naive exp; the shifted form must give finite, exact results.
        let logits = try Tensor(shape: [2, 3], scalars: [10_000, 9_999, 9_997, -10_000, -10_001.5, -9_999])
        let tape = Tape()
        let output = try tape.constant(logits).logSoftmax()
        #expect(output.value.scalars.allSatisfy { $0.isFinite })
        #expect(abs(output.value.scalars[0] - -0.34901222) < 1e-5)
        try expectGradientsMatch([logits]) { try $0[0].logSoftmax() }
        try expectGradientsMatch([logits]) { try $0[0].softmax() }
    }

    @Test func maskedActionsGiveNoNaNAndNoGradient() throws {
        // Illegal actions are filled with a large negative logit before the softmax: probabilities,
        // entropy and their gradients stay finite and the masked logits receive exactly zero gradient.
        let logits = try Fixtures.tensor([2, 4], in: -2...2)
        let illegal = try Mask(shape: [2, 4], elements: [false, true, false, true, true, false, false, false])
        let entropy: ([Variable]) throws -> Variable = { inputs in
            let logProbabilities = try inputs[0].maskedFill(illegal, with: -1e9).logSoftmax()
            return try -(logProbabilities.exp() * logProbabilities).sum(alongAxis: -1)
        }
        try expectGradientsMatch([logits], entropy)

        let tape = Tape()
        let variable = tape.parameter(logits)
        try tape.backward(from: try entropy([variable]).sum())
        let gradient = try #require(try tape.gradient(of: variable))
        #expect(gradient.scalars.allSatisfy { $0.isFinite })
        for (index, masked) in illegal.elements.enumerated() where masked { #expect(gradient.scalars[index] == 0) }
    }

    @Test func selectPicksBranchesWithBroadcasting() throws {
        let lhs = try Fixtures.tensor([2, 3], seed: 5)
        let rhs = try Fixtures.tensor([3], seed: 6)
        let condition = try Mask(shape: [2, 3], elements: [true, false, true, false, false, true])
        try expectGradientsMatch([lhs, rhs]) { try Variable.select(condition, $0[0], $0[1]) }
        // A NaN in the branch that is not taken must reach neither the result nor any gradient.
        let tape = Tape()
        let safe = tape.parameter(lhs)
        let negative = tape.parameter(try Tensor(repeating: -1, shape: [2, 3]))
        let chosen = try Variable.select(try Mask(shape: [], elements: [true]), safe, negative.log())
        try tape.backward(from: chosen.sum())
        #expect(chosen.value == lhs)
        #expect(try tape.gradient(of: safe) == Tensor(repeating: 1, shape: [2, 3]))
        #expect(try tape.gradient(of: negative)?.scalars.allSatisfy { $0 == 0 } == true)
    }

    @Test(arguments: [0, 1])
    func gatherTakenActions(axis: Int) throws {
        let logits = try Fixtures.tensor([3, 4])
        let indices =
            axis == 1
            ? try IndexTensor(shape: [3, 1], elements: [2, 0, 3])
            : try IndexTensor(shape: [2, 4], elements: [0, 2, 1, 1, 2, 0, 0, 1])
        try expectGradientsMatch([logits]) { try $0[0].logSoftmax().gather(alongAxis: axis, indices: indices) }
        #expect(throws: TensorError.self) {
            try Tape().constant(logits).gather(alongAxis: 1, indices: IndexTensor(shape: [3, 1], elements: [0, 4, 1]))
        }
    }

    @Test func concatenateSliceReshapeTranspose() throws {
        let a = try Fixtures.tensor([2, 3], seed: 8)
        let b = try Fixtures.tensor([2, 2], seed: 9)
        try expectGradientsMatch([a, b]) { try Variable.concatenate([$0[0], $0[1]], alongAxis: 1).squared() }
        try expectGradientsMatch([a, a]) { try Variable.concatenate([$0[0], $0[1]], alongAxis: 0).tanh() }
        #expect(throws: TensorError.self) {
            let tape = Tape()
            return try Variable.concatenate([tape.constant(a), tape.constant(Tensor(1))], alongAxis: 1)
        }
        let c = try Fixtures.tensor([2, 3, 4], seed: 10)
        try expectGradientsMatch([c]) { try $0[0].slice(alongAxis: 1, 1..<3).squared() }
        try expectGradientsMatch([c]) { try $0[0].reshaped(to: [4, -1]).squared() }
        try expectGradientsMatch([c]) { try $0[0].transposed(0, 2).exp() }
        try expectGradientsMatch([c]) { try $0[0].permuted([1, 2, 0]).squared() }
    }

    @Test func matmulPlainBatchedAndSharedRightHandSide() throws {
        try expectGradientsMatch([try Fixtures.tensor([3, 4], seed: 11), try Fixtures.tensor([4, 2], seed: 12)]) {
            try $0[0].matmul($0[1])
        }
        try expectGradientsMatch([try Fixtures.tensor([2, 3, 4], seed: 13), try Fixtures.tensor([2, 4, 5], seed: 14)]) {
            try $0[0].matmul($0[1])
        }
        try expectGradientsMatch([try Fixtures.tensor([2, 3, 4], seed: 15), try Fixtures.tensor([4, 2], seed: 16)]) {
            try $0[0].matmul($0[1])
        }
        // Operands used twice: the second product adds to the gradient the first one wrote.
        try expectGradientsMatch([try Fixtures.tensor([3, 3], seed: 17), try Fixtures.tensor([3, 3], seed: 18)]) {
            try $0[0].matmul($0[1]) + $0[1].matmul($0[0]).linear(weight: $0[0], bias: nil, activation: .tanh)
        }
        #expect(throws: TensorError.self) {
            try Tape().constant(Fixtures.tensor([2, 3])).matmul(Tape().constant(Fixtures.tensor([3, 2])))
        }
    }

    @Test(arguments: Activation.allCases)
    func fusedLinearLayer(activation: Activation) throws {
        // ReLU inputs are shifted away from its kink by a bias of 0.5 on positive inputs.
        let range: ClosedRange<Float> = activation == .relu ? 0.3...1 : -1...1
        let input = try Fixtures.tensor([5, 3], in: range, seed: 17)
        let weight = try Fixtures.tensor([4, 3], in: range, seed: 18)
        let bias = try Fixtures.tensor([4], in: range, seed: 19)
        try expectGradientsMatch([input, weight, bias]) {
            try $0[0].linear(weight: $0[1], bias: $0[2], activation: activation)
        }
        let batched = try Fixtures.tensor([2, 5, 3], in: range, seed: 20)
        try expectGradientsMatch([batched, weight]) {
            try $0[0].linear(weight: $0[1], bias: nil, activation: activation)
        }
    }

    @Test func stopGradientBlocksTheFlow() throws {
        let tape = Tape()
        let x = tape.parameter(try Fixtures.tensor([3]))
        let loss = try (x.stoppingGradient() * 3).sum()
        try tape.backward(from: loss)
        #expect(try tape.gradient(of: x) == Tensor(repeating: 0, shape: [3]))
    }
}
