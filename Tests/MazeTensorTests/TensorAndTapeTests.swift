import MazeTensor
import Testing

@Suite("Tensors and tapes")
struct TensorAndTapeTests {
    @Test func shapesAreCheckedWithClearErrors() throws {
        #expect(throws: TensorError.scalarCountMismatch(shape: [2, 2], count: 3)) {
            try Tensor(shape: [2, 2], scalars: [1, 2, 3])
        }
        #expect(throws: TensorError.invalidShape([-1, 2])) { try Tensor(repeating: 0, shape: [-1, 2]) }
        let tensor = try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(try tensor.element(at: [1, 2]) == 5)
        #expect(throws: TensorError.self) { try tensor.element(at: [2, 0]) }
        #expect(try tensor.reshaped(to: [3, -1]).shape == [3, 2])
        #expect(throws: TensorError.shapeMismatch(operation: "reshape", [2, 3], [4, -1])) {
            try tensor.reshaped(to: [4, -1])
        }
        let tape = Tape()
        let error = #expect(throws: TensorError.self) {
            try tape.constant(tensor) + tape.constant(try Tensor(repeating: 1, shape: [2]))
        }
        #expect(error?.description == "add: incompatible shapes [2, 3] and [2]")
        #expect(throws: TensorError.invalidAxis(axis: 2, rank: 2)) { try tape.constant(tensor).sum(alongAxis: 2) }
    }

    @Test func tensorsHaveValueSemantics() throws {
        let original = try Tensor(shape: [3], scalars: [1, 2, 3])
        var copy = original
        copy.withUnsafeMutableScalars { $0[0] = 10 }
        #expect(original.scalars == [1, 2, 3])
        #expect(copy.scalars == [10, 2, 3])
    }

    @Test func variablesAreTiedToTheirTapeAndGeneration() throws {
        let tape = Tape()
        let other = Tape()
        let x = tape.parameter(Tensor(2))
        #expect(throws: TensorError.foreignVariable) { try x + other.constant(Tensor(1)) }
        tape.reset()
        #expect(throws: TensorError.foreignVariable) { try x.exp() }
        #expect(throws: TensorError.nonScalarLoss(shape: [2])) {
            try tape.backward(from: tape.parameter(Tensor([1, 2])))
        }
    }

    /// One training-like step: value and parameter gradient of a small tanh network with a PPO-style clipped loss.
    private static func step(on tape: Tape, _ parameters: ParameterStore, _ input: Tensor) throws -> (Float, Tensor) {
        tape.reset()
        let bound = tape.bind(parameters)
        let mlp = try MLP(name: "policy", sizes: [3, 8, 2], activation: .tanh)
        let logits = try mlp(tape.constant(input), bound)
        let logProbability = try logits.logSoftmax().gather(
            alongAxis: 1, indices: IndexTensor(shape: [4, 1], elements: [0, 1, 1, 0]))
        let ratio = try logProbability.exp()
        let advantage = tape.constant(try Tensor(shape: [4, 1], scalars: [1, -0.5, 2, -1]))
        let loss = try -(ratio * advantage).minimum(ratio.clamped(to: 0.8...1.2) * advantage).mean()
        try tape.backward(from: loss)
        return (try #require(loss.value.scalar), try bound.gradients().tensor(named: "policy.0.weight"))
    }

    private static func fixture() throws -> (ParameterStore, Tensor) {
        var generator = SeededGenerator(seed: 3)
        var parameters = ParameterStore()
        try MLP(name: "policy", sizes: [3, 8, 2], activation: .tanh).initialize(
            &parameters, hidden: .orthogonal(gain: 1), using: &generator)
        return (parameters, try Fixtures.tensor([4, 3]))
    }

    @Test func resetTapeReusesBuffersWithoutChangingResults() throws {
        let (parameters, input) = try Self.fixture()
        let tape = Tape()
        let first = try Self.step(on: tape, parameters, input)
        let independentCopy = first.1.scalars.map { $0 }
        let second = try Self.step(on: tape, parameters, input)
        #expect(first.0 == second.0)
        #expect(second.1.scalars == independentCopy)
        #expect(
            first.1.scalars == independentCopy, "a gradient the caller kept must not be overwritten by the next pass")
        #expect(first.1.scalars.contains { $0 != 0 })
    }

    @Test func aRepeatedPassAllocatesNoBuffers() throws {
        let (parameters, input) = try Self.fixture()
        let tape = Tape()
        _ = try Self.step(on: tape, parameters, input)
        let afterFirstPass = tape.allocatedBufferCount
        #expect(afterFirstPass > 0)
        for _ in 0..<3 { _ = try Self.step(on: tape, parameters, input) }
        #expect(tape.allocatedBufferCount == afterFirstPass)
    }

    @Test func takenGradientsAreOwnedByTheCallerAndRecycled() throws {
        let (parameters, input) = try Self.fixture()
        let tape = Tape()
        let reference = try Self.step(on: Tape(), parameters, input).1
        _ = try Self.step(on: tape, parameters, input)
        let bound = tape.bind(parameters)
        let mlp = try MLP(name: "policy", sizes: [3, 8, 2], activation: .tanh)
        try tape.backward(from: try mlp(tape.constant(input), bound).squared().mean())
        var taken = try bound.takeGradients()
        #expect(try tape.gradient(of: bound["policy.0.weight"]).map { $0.scalars.allSatisfy { $0 == 0 } } == true)
        let storage = try taken.tensor(named: "policy.0.weight").withUnsafeScalars { UnsafeRawPointer($0.baseAddress) }
        taken.clipGlobalNorm(to: 1e-3)
        let clipped = try taken.tensor(named: "policy.0.weight").withUnsafeScalars { UnsafeRawPointer($0.baseAddress) }
        #expect(clipped == storage, "the caller's gradients are scaled in place, not copied")
        tape.reset()
        let allocated = tape.allocatedBufferCount
        tape.recycle(taken)
        #expect(try Self.step(on: tape, parameters, input).1 == reference)
        #expect(tape.allocatedBufferCount == allocated)
    }

    @Test func separateTapesRunConcurrently() async throws {
        let (parameters, input) = try Self.fixture()
        let reference = try Self.step(on: Tape(), parameters, input)
        let results = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let tape = Tape()
                    var gradient: [Float] = []
                    for _ in 0..<20 { gradient = try Self.step(on: tape, parameters, input).1.scalars }
                    return gradient
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0 == reference.1.scalars })
    }
}
