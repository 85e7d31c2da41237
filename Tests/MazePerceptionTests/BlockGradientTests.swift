import MazeConfig
import MazeCore
import MazePerception
import MazeTensor
import MazeTestSupport
import Testing

/// Every built-in block, built from its Maze config keys through the registry, has the output shape it
/// announces and gradients (with respect to its inputs and parameters) that agree with finite differences.
@Suite struct BlockGradientTests {
    static func block(_ settings: ConfigNode, inputShapes: [[Int]]) throws -> any PerceptionBlock {
        try PerceptionRegistry.standard().blocks.make(from: ConfigSection(root: settings)).block(
            name: "block", inputShapes: inputShapes)
    }

    static func random(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -1...1) throws -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return try Tensor(
            shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float.random(in: range, using: &generator) })
    }

    /// Checks the block on `inputs` (differentiated) followed by `constants` (masks, adjacency: no
    /// gradient), with respect to the inputs and every parameter not listed in `frozen`.
    func expectGradientsMatch(
        _ block: any PerceptionBlock, inputs: [Tensor], constants: [Tensor] = [], frozen: Set<String> = [],
        overrides: [String: Tensor] = [:], checker: GradientChecker = GradientChecker(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var store = ParameterStore()
        var generator = SeededGenerator(seed: 7)
        try block.initialize(&store, using: &generator)
        for (name, value) in overrides { store[name] = value }
        let trained = store.names.filter { !frozen.contains($0) }
        let batch = inputs[0].shape[0]
        let output = try block(inputs + constants, store)
        #expect(output.shape == [batch] + block.outputShape, sourceLocation: sourceLocation)
        let mismatches = try checker.mismatches(inputs + trained.map { store[$0]! }) { variables in
            let tape = variables[0].tape
            var bound = Dictionary(uniqueKeysWithValues: zip(trained, variables[inputs.count...]))
            for name in frozen { bound[name] = tape.constant(store[name]!) }
            let parameters = try BoundParameters(tape: tape, variables: bound)
            return try block(Array(variables[..<inputs.count]) + constants.map { tape.constant($0) }, parameters)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))", sourceLocation: sourceLocation)
    }

    @Test func vggConvolutionDense() throws {
        let block = try Self.block(
            [
                "_target_": "VGGConvolutionDenseBlock", "hidden_channels": [2, 2], "hidden_units": [3],
                "non_lin": "Tanh",
            ], inputShapes: [[1, 5, 4]])
        #expect(block.outputShape == [3])
        // Two max-pooling stages: the step is kept small so that no perturbation changes a window's winner
        // (rounding error of the loss ≈ 1e-6 / 2e-3 stays well inside the tolerance).
        try expectGradientsMatch(
            block, inputs: [try Self.random([2, 1, 5, 4], seed: 1)], checker: GradientChecker(step: { _ in 1e-3 }))
    }

    @Test func vggConvolutionAndGlobalAveragePooling() throws {
        let block = try Self.block(
            ["_target_": "VGGConvolutionGAPBlock", "hidden_channels": [3], "non_lin": "Tanh"], inputShapes: [[2, 4, 4]])
        #expect(block.outputShape == [3])
        try expectGradientsMatch(block, inputs: [try Self.random([2, 2, 4, 4], seed: 2)])
    }

    @Test func stridedConvolutionDense() throws {
        let block = try Self.block(
            [
                "_target_": "StridedConvolutionDenseBlock", "hidden_channels": [2, 3], "hidden_kernels": [3, 2],
                "convolution_strides": [2, 1],
                "convolution_dilations": [1, 1], "padding": 1, "hidden_units": [4], "non_lin": "Tanh",
            ],
            inputShapes: [[2, 5, 5]])
        #expect(block.outputShape == [4])
        try expectGradientsMatch(block, inputs: [try Self.random([2, 2, 5, 5], seed: 3)])
    }

    @Test func flattenDense() throws {
        let block = try Self.block(
            ["_target_": "FlattenDenseBlock", "num_flatten_dims": 2, "hidden_units": [3], "non_lin": "Tanh"],
            inputShapes: [[3, 2]])
        try expectGradientsMatch(block, inputs: [try Self.random([2, 3, 2], seed: 4)])
    }

    @Test(arguments: ["mean", "sum", "max"])
    func maskedGlobalPooling(function: String) throws {
        let block = try Self.block(
            ["_target_": "MaskedGlobalPoolingBlock", "pooling_func": .string(function), "pooling_dim": -2],
            inputShapes: [[4, 3], [4]])
        #expect(block.outputShape == [3])
        // Well separated values so that maxima are unique; the second sample has an empty set.
        let values = (0..<24).map { Float(($0 * 7) % 24) / 8 }
        let mask = try Tensor(shape: [2, 4], scalars: [1, 0, 1, 1, 0, 0, 0, 0])
        try expectGradientsMatch(block, inputs: [try Tensor(shape: [2, 4, 3], scalars: values)], constants: [mask])
        let pooled = try block([try Tensor(shape: [2, 4, 3], scalars: values), mask], ParameterStore())
        #expect(pooled.scalars[3...] == [0, 0, 0])
    }

    @Test func pointNetIgnoresOrderAndMissingPoints() throws {
        let block = try Self.block(
            [
                "_target_": "PointNetFeatureBlock", "embedding_dim": 4, "pooling_func_name": "max",
                "use_feature_transform": false, "non_lin": "Tanh",
            ],
            inputShapes: [[3, 2], [3]])
        let points = try Self.random([2, 3, 2], seed: 5)
        let mask = try Tensor(shape: [2, 3], scalars: [1, 1, 0, 1, 1, 1])
        // The 64 × 128 middle layer is held fixed to keep the debug check quick; its gradient flows through the same code.
        try expectGradientsMatch(block, inputs: [points], constants: [mask], frozen: ["block.1.weight"])
        var store = ParameterStore()
        var generator = SeededGenerator(seed: 1)
        try block.initialize(&store, using: &generator)
        let swapped = try Tensor(
            shape: [2, 3, 2],
            scalars: [points.scalars[2], points.scalars[3], points.scalars[0], points.scalars[1], 9, 9]
                + points.scalars[6...])
        let before = try block([points, mask], store)
        let after = try block([swapped, try Tensor(shape: [2, 3], scalars: [1, 1, 0, 1, 1, 1])], store)
        #expect(before.scalars[..<4] == after.scalars[..<4])
    }

    @Test func graphConvolution() throws {
        let block = try Self.block(
            [
                "_target_": "GraphConvBlock", "hidden_features": [3, 2], "bias": true, "non_lin": "Tanh",
                "node_self_importance": 1.0,
                "trainable_node_self_importance": false, "preprocess_adj": true,
            ],
            inputShapes: [[4, 2], [4, 4]])
        #expect(block.outputShape == [4, 2])
        let adjacency = try Tensor(shape: [1, 4, 4], scalars: [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0])
        try expectGradientsMatch(block, inputs: [try Self.random([1, 4, 2], seed: 6)], constants: [adjacency])
    }

    @Test func graphAttention() throws {
        let block = try Self.block(
            [
                "_target_": "GraphAttentionBlock", "hidden_features": [3, 2], "non_lins": ["Tanh", "Identity"],
                "n_heads": [2, 3], "attention_alpha": 0.2, "avg_last_head_attentions": true,
                "attention_dropout": 0.0,
            ],
            inputShapes: [[4, 2], [4, 4]])
        #expect(block.outputShape == [4, 2])
        let adjacency = try Tensor(
            shape: [2, 4, 4],
            scalars: [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0] + [
                0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0,
            ])
        // A small step, so that no perturbation moves an attention score across the LeakyReLU's kink at 0.
        let smallStep = GradientChecker(step: { _ in 1e-3 })
        try expectGradientsMatch(
            block, inputs: [try Self.random([2, 4, 2], seed: 18)], constants: [adjacency], checker: smallStep)
        let concatenated = try Self.block(
            [
                "_target_": "GraphAttentionBlock", "hidden_features": [3], "non_lins": "Tanh", "n_heads": 2,
                "avg_last_head_attentions": false,
            ],
            inputShapes: [[4, 2], [4, 4]])
        #expect(concatenated.outputShape == [4, 6])
        try expectGradientsMatch(
            concatenated, inputs: [try Self.random([2, 4, 2], seed: 19)], constants: [adjacency], checker: smallStep)
        #expect(throws: (any Error).self) {
            try Self.block(
                [
                    "_target_": "GraphAttentionBlock", "hidden_features": [3], "non_lins": "Tanh", "n_heads": 2,
                    "attention_dropout": 0.1,
                ],
                inputShapes: [[4, 2], [4, 4]])
        }
        #expect(throws: (any Error).self) {
            try Self.block(
                ["_target_": "GraphAttentionBlock", "hidden_features": [3, 2], "non_lins": "Tanh", "n_heads": [2]],
                inputShapes: [[4, 2], [4, 4]])
        }
    }

    @Test func multiHeadAndSelfAttention() throws {
        let attention = try Self.block(
            [
                "_target_": "MultiHeadAttentionBlock", "num_heads": 2, "dropout": 0.0, "add_input_to_output": true,
                "bias": true,
            ],
            inputShapes: [[2, 4], [3, 4], [3, 4], [3]])
        let mask = try Tensor(shape: [2, 3], scalars: [1, 0, 1, 1, 1, 1])
        try expectGradientsMatch(
            attention,
            inputs: [
                try Self.random([2, 2, 4], seed: 7), try Self.random([2, 3, 4], seed: 8),
                try Self.random([2, 3, 4], seed: 9),
            ], constants: [mask])
        let sequence = try Self.block(
            ["_target_": "SelfAttentionSeqBlock", "num_heads": 1, "add_input_to_output": false], inputShapes: [[3, 2]])
        try expectGradientsMatch(sequence, inputs: [try Self.random([2, 3, 2], seed: 10)])
        let convolution = try Self.block(
            ["_target_": "SelfAttentionConvBlock", "embed_dim": 2], inputShapes: [[3, 2, 2]])
        // γ starts at 0 (the block begins as the identity); checked at 0.5 so every projection matters.
        try expectGradientsMatch(
            convolution, inputs: [try Self.random([2, 3, 2, 2], seed: 11)], overrides: ["block.gamma": Tensor([0.5])])
    }

    @Test func lstmBlocks() throws {
        let sequence = try Self.block(
            ["_target_": "LSTMBlock", "hidden_size": 3, "num_layers": 2, "bidirectional": false, "non_lin": "Tanh"],
            inputShapes: [[4, 2]])
        #expect(sequence.outputShape == [4, 3])
        try expectGradientsMatch(sequence, inputs: [try Self.random([2, 4, 2], seed: 12)])
        let last = try Self.block(
            ["_target_": "LSTMLastStepBlock", "hidden_size": 3, "num_layers": 1, "non_lin": "Tanh"],
            inputShapes: [[4, 2]])
        #expect(last.outputShape == [3])
        try expectGradientsMatch(last, inputs: [try Self.random([2, 4, 2], seed: 13)])
    }

    @Test func slicingRepeatingCorrelatingMaskingAndConcatenating() throws {
        let input = try Self.random([2, 3, 4], seed: 14)
        try expectGradientsMatch(
            try Self.block(["_target_": "SliceBlock", "slice_dim": 1, "slice_idx": -1], inputShapes: [[3, 4]]),
            inputs: [input])
        let picked = try Self.block(
            ["_target_": "MultiIndexSlicingBlock", "select_dim": -1, "select_idxs": [3, 0]], inputShapes: [[3, 4]])
        #expect(picked.outputShape == [3, 2])
        try expectGradientsMatch(picked, inputs: [input])
        let repeated = try Self.block(
            ["_target_": "RepeatToMatchBlock", "repeat_at_idx": 1], inputShapes: [[4], [3, 4]])
        #expect(repeated.outputShape == [3, 4])
        try expectGradientsMatch(repeated, inputs: [try Self.random([2, 4], seed: 15)], constants: [input])
        let correlation = try Self.block(
            ["_target_": "CorrelationBlock", "reduce": true], inputShapes: [[3, 4], [4]])
        #expect(correlation.outputShape == [3])
        try expectGradientsMatch(correlation, inputs: [input, try Self.random([2, 4], seed: 16)])
        let masking = try Self.block(["_target_": "ActionMaskingBlock"], inputShapes: [[4], [4]])
        let logits = try Self.random([2, 4], seed: 17)
        let mask = try Tensor(shape: [2, 4], scalars: [1, 0, 1, 1, 0, 1, 1, 1])
        try expectGradientsMatch(masking, inputs: [logits], constants: [mask])
        #expect(try masking([logits, mask], ParameterStore()).scalars[1] < -1e8)
        let joined = try Self.block(
            ["_target_": "ConcatenationBlock", "concat_dim": -1], inputShapes: [[3, 4], [3, 4]])
        #expect(joined.outputShape == [3, 8])
        try expectGradientsMatch(joined, inputs: [input, input])
    }

    @Test func misspelledAndUnsupportedSettingsAreRefused() throws {
        #expect(
            throws: ConfigError.unknownKey(
                path: "hiden_units", known: ["_target_", "hidden_units", "in_keys", "non_lin", "out_keys"],
                suggestion: "hidden_units")
        ) {
            try Self.block(["_target_": "DenseBlock", "hiden_units": [3], "non_lin": "Tanh"], inputShapes: [[2]])
        }
        #expect(throws: (any Error).self) {
            try Self.block(
                ["_target_": "LSTMBlock", "hidden_size": 3, "bidirectional": true, "non_lin": "Tanh"],
                inputShapes: [[4, 2]])
        }
        #expect(throws: (any Error).self) {
            try Self.block(
                ["_target_": "VGGConvolutionBlock", "hidden_channels": [2, 2, 2], "non_lin": "Tanh"],
                inputShapes: [[1, 3, 3]])
        }
    }
}
