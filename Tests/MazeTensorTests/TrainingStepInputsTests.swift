import Testing

@testable import MazeTensor

/// The tape operations a training step builds its inputs with, so that a step allocates nothing once the tape has
/// seen its shapes: minibatch rows gathered into the pool, per-row targets without a shape array, log-probabilities
/// picked without an index tensor, gradients taken into the store the previous step recycled. Each is checked
/// against the general operation it stands for.
@Suite struct TrainingStepInputsTests {
    private let flat: [Float] = (0..<12).map(Float.init)  // 4 rows of 3

    @Test func gatheredRowsAreTheRowsInTheGivenOrder() throws {
        let tape = Tape()
        let rows = try tape.constant(gathering: [2, 0, 3][...], width: 3, of: flat)
        #expect(rows.shape == [3, 3])
        #expect(rows.value.scalars == [6, 7, 8, 0, 1, 2, 9, 10, 11])
        let elements = try tape.constant(gathering: [5, 1][...], of: flat)
        #expect(elements.shape == [2])
        #expect(elements.value.scalars == [5, 1])
        #expect(throws: TensorError.self) { try tape.constant(gathering: [4][...], width: 3, of: flat) }
        #expect(throws: TensorError.self) { try tape.constant(gathering: [-1][...], of: flat) }
        #expect(throws: TensorError.self) { try tape.constant(gathering: [0][...], width: 5, of: flat) }
    }

    @Test func gatheredRowsReuseThePoolsBuffersAfterAReset() throws {
        let tape = Tape()
        _ = try tape.constant(gathering: [0, 1][...], width: 3, of: flat)
        tape.reset()
        let allocated = tape.allocatedBufferCount
        let again = try tape.constant(gathering: [3, 2][...], width: 3, of: flat)
        #expect(tape.allocatedBufferCount == allocated)
        #expect(again.value.scalars == [9, 10, 11, 6, 7, 8])
    }

    @Test func vectorAndRowConstantsAreTheTensorsOfTheirScalars() throws {
        let tape = Tape()
        #expect(tape.constant(vector: [1, 2, 3]).value == Tensor([1, 2, 3]))
        #expect(try tape.constant(rows: flat, width: 3).value == Tensor(shape: [4, 3], scalars: flat))
        #expect(throws: TensorError.self) { try tape.constant(rows: flat, width: 5) }
        #expect(throws: TensorError.self) { try tape.constant(rows: flat, width: 0) }
    }

    @Test func pickingColumnsIsGatherThenReshapeInValueAndGradient() throws {
        let logits = try Tensor(shape: [3, 4], scalars: (0..<12).map { Float($0) * 0.3 - 1 })
        let picks: [Float] = [2, 0, 3]
        func gradient(_ pick: (Variable) throws -> Variable) throws -> (value: [Float], gradient: [Float]) {
            let tape = Tape()
            let input = tape.parameter(logits)
            let picked = try pick(try input.logSoftmax(alongAxis: 1))
            try tape.backward(from: try (picked * picked).sum())
            return (picked.value.scalars, try tape.gradient(of: input)?.scalars ?? [])
        }
        let direct = try gradient { try $0.pickingColumns(try Tensor(shape: [3, 1], scalars: picks)) }
        let general = try gradient {
            try $0.gather(alongAxis: 1, indices: IndexTensor(shape: [3, 1], elements: picks.map { Int32($0) }))
                .reshaped(to: [3])
        }
        #expect(direct.value == general.value)
        #expect(direct.gradient == general.gradient)
        let tape = Tape()
        let input = tape.constant(logits)
        for bad: [Float] in [[4, 0, 0], [1.5, 0, 0], [-1, 0, 0], [.nan, 0, 0]] {
            #expect(throws: TensorError.self) { try input.pickingColumns(Tensor(bad)) }
        }
        #expect(throws: TensorError.self) { try input.pickingColumns(Tensor([0, 1])) }
    }

    @Test func flattenedIsReshapedToOneAxis() throws {
        let tape = Tape()
        let column = tape.parameter(try Tensor(shape: [3, 1], scalars: [1, -2, 3]))
        let flat = try column.flattened()
        #expect(flat.shape == [3])
        try tape.backward(from: try (flat * flat).sum())
        #expect(try tape.gradient(of: column)?.scalars == [2, -4, 6])
    }

    @Test func takenGradientsMatchAcrossRecycledStores() throws {
        var store = ParameterStore()
        store["b"] = try Tensor(shape: [2], scalars: [0.5, -1])
        store["a"] = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let tape = Tape()
        var taken: [ParameterStore] = []
        for _ in 0..<3 {
            let bound = tape.bind(store)
            let loss = try (try bound["a"].matmul(try bound["b"].reshaped(to: [2, 1])).squared()).sum()
            try tape.backward(from: loss)
            let expected = try bound.gradients()
            let gradients = try bound.takeGradients()
            #expect(gradients == expected)
            #expect(gradients.names == ["a", "b"])
            taken.append(gradients)
            tape.reset()
            tape.recycle(gradients)
        }
        #expect(taken[0] == taken[2])
    }
}
