import Foundation
import MazeTensor
import MazeTestSupport
import Testing

/// The reference cases written by `tools/gen_perception_fixtures.py` (numpy re-derivations).
struct PerceptionFixtures: Decodable {
    struct Convolution: Decodable {
        let input, weight, bias, output: Tensor
        let stride, padding: Int
    }
    struct Pooling: Decodable {
        let input, output: Tensor
        let kernel, stride: Int
    }
    struct Attention: Decodable {
        let query, key, value, output: Tensor
        let heads: Int
        let inProjWeight, inProjBias, outProjWeight, outProjBias: Tensor
        let keyMask: [[Bool]]
    }
    struct Recurrent: Decodable { let input, weightIh, weightHh, biasIh, biasHh, output: Tensor }

    let conv2d: [Convolution]
    let maxPool: [Pooling]
    let multiHeadAttention: [Attention]
    let lstm: [Recurrent]

    static func load() throws -> PerceptionFixtures {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/perception.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(PerceptionFixtures.self, from: Data(contentsOf: url))
    }
}

@Suite("Convolution, pooling, attention and LSTM against numpy, and their gradients")
struct PerceptionKernelTests {
    private func expectClose(
        _ actual: Tensor, _ expected: Tensor, tolerance: Float = 1e-4, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.shape == expected.shape, sourceLocation: sourceLocation)
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance, "largest difference \(worst)", sourceLocation: sourceLocation)
    }

    private func expectGradientsMatch(
        _ inputs: [Tensor], sourceLocation: SourceLocation = #_sourceLocation,
        _ function: ([Variable]) throws -> Variable
    ) throws {
        let mismatches = try GradientChecker().mismatches(inputs, function)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))", sourceLocation: sourceLocation)
    }

    @Test func convolutionEqualsTheDirectSum() throws {
        for fixture in try PerceptionFixtures.load().conv2d {
            let tape = Tape()
            let output = try tape.constant(fixture.input).conv2d(
                weight: tape.constant(fixture.weight), bias: tape.constant(fixture.bias), stride: fixture.stride,
                padding: fixture.padding)
            expectClose(output.value, fixture.output)
        }
    }

    @Test(arguments: [(1, 0), (2, 1), (1, 2)])
    func convolutionGradients(stride: Int, padding: Int) throws {
        let input = try Fixtures.tensor([2, 2, 5, 4], seed: 3)
        let weight = try Fixtures.tensor([3, 2, 3, 3], in: -1...1, seed: 4)
        let bias = try Fixtures.tensor([3], seed: 5)
        try expectGradientsMatch([input, weight, bias]) {
            try $0[0].conv2d(weight: $0[1], bias: $0[2], stride: stride, padding: padding)
        }
    }

    @Test func maxPoolingEqualsTheWindowMaxima() throws {
        for fixture in try PerceptionFixtures.load().maxPool {
            let output = try Tape().constant(fixture.input).maxPool2d(kernel: fixture.kernel, stride: fixture.stride)
            expectClose(output.value, fixture.output, tolerance: 0)
        }
    }

    @Test func maxPoolingGradient() throws {
        // Distinct, well separated values: every window has a single maximum.
        let values: [Float] = (0..<60).map { (index: Int) -> Float in Float((index * 37) % 60) / 10 }
        try expectGradientsMatch([try Tensor(shape: [1, 2, 6, 5], scalars: values)]) {
            try $0[0].maxPool2d(kernel: 2, stride: 2)
        }
    }

    private func attentionParameters(_ fixture: PerceptionFixtures.Attention, layer: MultiHeadAttention)
        -> ParameterStore
    {
        ParameterStore([
            layer.inputProjectionWeightName: fixture.inProjWeight, layer.inputProjectionBiasName: fixture.inProjBias,
            layer.outputProjection.weightName: fixture.outProjWeight,
            layer.outputProjection.biasName: fixture.outProjBias,
        ])
    }

    @Test func multiHeadAttentionEqualsTheReference() throws {
        for fixture in try PerceptionFixtures.load().multiHeadAttention {
            let layer = try MultiHeadAttention(
                name: "mha", embedDimension: fixture.query.shape[2], heads: fixture.heads)
            let tape = Tape()
            let parameters = tape.bindConstants(attentionParameters(fixture, layer: layer))
            let mask = try Mask(
                shape: [fixture.keyMask.count, fixture.keyMask[0].count], elements: fixture.keyMask.flatMap { $0 })
            let output = try layer(
                query: tape.constant(fixture.query), key: tape.constant(fixture.key),
                value: tape.constant(fixture.value), keyMask: mask, parameters)
            expectClose(output.value, fixture.output)
        }
    }

    @Test func attentionGradients() throws {
        let query = try Fixtures.tensor([2, 3, 4], in: -1...1, seed: 6)
        let key = try Fixtures.tensor([2, 5, 4], in: -1...1, seed: 7)
        let value = try Fixtures.tensor([2, 5, 2], seed: 8)
        let mask = try Mask(shape: [2, 5], elements: [true, false, true, true, false, true, true, true, true, true])
        try expectGradientsMatch([query, key, value]) { try $0[0].attention(key: $0[1], value: $0[2], keyMask: mask) }
        let layer = try MultiHeadAttention(name: "mha", embedDimension: 4, heads: 2)
        var store = ParameterStore()
        var generator = SeededGenerator(seed: 9)
        try layer.initialize(&store, using: &generator)
        let names = store.names
        try expectGradientsMatch([query, key] + names.map { store[$0]! }) { inputs in
            let parameters = try BoundParameters(
                tape: inputs[0].tape, variables: Dictionary(uniqueKeysWithValues: zip(names, inputs[2...])))
            return try layer(query: inputs[0], key: inputs[1], value: inputs[1], parameters)
        }
    }

    @Test func lstmEqualsTheReference() throws {
        for fixture in try PerceptionFixtures.load().lstm {
            let layer = try LSTM(name: "lstm", inputSize: fixture.input.shape[2], hiddenSize: fixture.weightHh.shape[1])
            let tape = Tape()
            let parameters = tape.bindConstants(
                ParameterStore([
                    "lstm.weight_ih": fixture.weightIh, "lstm.weight_hh": fixture.weightHh,
                    "lstm.bias_ih": fixture.biasIh, "lstm.bias_hh": fixture.biasHh,
                ]))
            // tanh is the vectorised approximation (relative error ~1e-6), accumulated over 5 steps.
            expectClose(
                try layer(tape.constant(fixture.input), parameters).outputs.value, fixture.output, tolerance: 1e-4)
        }
    }

    @Test func lstmGradients() throws {
        let layer = try LSTM(name: "lstm", inputSize: 3, hiddenSize: 2)
        var store = ParameterStore()
        var generator = SeededGenerator(seed: 10)
        try layer.initialize(&store, using: &generator)
        let names = store.names
        try expectGradientsMatch([try Fixtures.tensor([2, 4, 3], in: -1...1, seed: 11)] + names.map { store[$0]! }) {
            inputs in
            let parameters = try BoundParameters(
                tape: inputs[0].tape, variables: Dictionary(uniqueKeysWithValues: zip(names, inputs[1...])))
            return try layer(inputs[0], parameters).outputs
        }
    }

    /// From a given state, through the outputs and the final hidden and cell state (as carried across rollouts).
    @Test func lstmGradientsThroughTheCarriedState() throws {
        let layer = try LSTM(name: "lstm", inputSize: 3, hiddenSize: 2)
        var store = ParameterStore()
        var generator = SeededGenerator(seed: 12)
        try layer.initialize(&store, using: &generator)
        let names = store.names
        let state = [
            try Fixtures.tensor([2, 2], in: -1...1, seed: 13), try Fixtures.tensor([2, 2], in: -1...1, seed: 14),
        ]
        try expectGradientsMatch(
            [try Fixtures.tensor([2, 3, 3], in: -1...1, seed: 15)] + state + names.map { store[$0]! }
        ) { inputs in
            let parameters = try BoundParameters(
                tape: inputs[0].tape, variables: Dictionary(uniqueKeysWithValues: zip(names, inputs[3...])))
            let (outputs, final) = try layer(
                inputs[0], state: LSTM.State(hidden: inputs[1], cell: inputs[2]), parameters)
            return try Variable.concatenate(
                [outputs.reshaped(to: [2, 6]), final.hidden, final.cell], alongAxis: 1)
        }
    }

    /// With resets inside the sequence (`keep` 0 before step 2 of the first sequence, before step 1 of the
    /// second): the states after every step (h and c) against finite differences, and a reset state equals a
    /// sequence started afresh from zeros.
    @Test func lstmGradientsWithResets() throws {
        let layer = try LSTM(name: "lstm", inputSize: 3, hiddenSize: 2)
        var store = ParameterStore()
        var generator = SeededGenerator(seed: 16)
        try layer.initialize(&store, using: &generator)
        let names = store.names
        let keep: [Float] = [1, 1, 0, 1, 1, 0, 1, 1]
        let state = [
            try Fixtures.tensor([2, 2], in: -1...1, seed: 17), try Fixtures.tensor([2, 2], in: -1...1, seed: 18),
        ]
        let input = try Fixtures.tensor([2, 4, 3], in: -1...1, seed: 19)
        try expectGradientsMatch([input] + state + names.map { store[$0]! }) { inputs in
            let parameters = try BoundParameters(
                tape: inputs[0].tape, variables: Dictionary(uniqueKeysWithValues: zip(names, inputs[3...])))
            return try layer.states(
                inputs[0], state: LSTM.State(hidden: inputs[1], cell: inputs[2]), keep: keep, parameters)
        }
        let tape = Tape()
        let parameters = tape.bindConstants(store)
        let carried = LSTM.State(hidden: tape.constant(state[0]), cell: tape.constant(state[1]))
        let reset = try layer.states(tape.constant(input), state: carried, keep: keep, parameters)
            .slice(alongAxis: 1, 2..<4).slice(alongAxis: 0, 0..<1)
        let afresh = try layer.states(
            tape.constant(input).slice(alongAxis: 1, 2..<4).slice(alongAxis: 0, 0..<1), parameters)
        expectClose(reset.value, afresh.value, tolerance: 1e-6)
    }
}
