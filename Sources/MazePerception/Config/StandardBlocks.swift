import MazeConfig
import MazeTensor

/// Maze's built-in perception blocks, registered under their class names with their config keys.
enum StandardBlocks {
    /// Registers every built-in block in `blocks`.
    static func register(in blocks: inout ComponentRegistry<BlockRecipe>) throws {
        for (name, builder) in builders {
            try blocks.register(name) { try builder(name, $0) }
        }
    }

    private typealias Builder = @Sendable (_ type: String, _ config: ConfigSection) throws -> BlockRecipe

    /// The single input shape of a one-input block.
    private static func single(_ shapes: [[Int]], _ name: String, _ type: String) throws -> [Int] {
        guard shapes.count == 1 else {
            throw PerceptionError.invalidConfiguration("'\(name)': a \(type) reads one input, got \(shapes.count)")
        }
        return shapes[0]
    }

    /// The strided convolution settings shared by `StridedConvolutionBlock` and `StridedConvolutionDenseBlock`.
    private struct Strided {
        static let keys: Set<String> = [
            "hidden_channels", "hidden_kernels", "convolution_strides", "convolution_dilations", "padding", "non_lin",
        ]
        let channels: [Int], kernels: [Int], strides: [Int], paddings: [Int]
        let nonLinearity: Activation

        init(_ settings: BlockSettings) throws {
            channels = try settings.ints("hidden_channels")
            kernels = try settings.ints("hidden_kernels")
            strides = try settings.ints("convolution_strides")
            nonLinearity = try settings.nonLinearity()
            if settings.config.nonNull("convolution_dilations") != nil {
                try settings.require(
                    try settings.ints("convolution_dilations").allSatisfy { $0 == 1 }, "convolution_dilations",
                    "only dilation 1 is supported")
            }
            // `padding`: "valid" (none), one integer for every layer, or one per layer.
            if let padding = settings.config.nonNull("padding") {
                if case .string(let text) = padding.node {
                    try settings.require(
                        text == "valid", "padding",
                        "'\(text)' is not supported (use valid, an integer, or one integer per layer)")
                    paddings = [Int](repeating: 0, count: channels.count)
                } else if case .list = padding.node {
                    paddings = try padding.ints()
                } else {
                    paddings = [Int](repeating: try padding.int(), count: channels.count)
                }
            } else {
                paddings = [Int](repeating: 0, count: channels.count)
            }
        }

        func block(_ name: String, _ shape: [Int]) throws -> StridedConvolutionBlock {
            try StridedConvolutionBlock(
                name: name, inputShape: shape, hiddenChannels: channels, kernels: kernels, strides: strides,
                paddings: paddings, nonLinearity: nonLinearity)
        }
    }

    /// `LSTMBlock` settings, shared with `LSTMLastStepBlock`.
    private struct Recurrent {
        static let keys: Set<String> = ["hidden_size", "num_layers", "bidirectional", "non_lin"]
        let hiddenSize: Int, layers: Int
        let nonLinearity: Activation

        init(_ settings: BlockSettings) throws {
            hiddenSize = try settings.positiveInt("hidden_size")
            layers = try settings.positiveInt("num_layers", default: 1)
            nonLinearity = try settings.nonLinearity()
            try settings.require(
                !(try settings.bool("bidirectional", default: false)), "bidirectional",
                "bidirectional LSTMs are not supported")
        }

        func block(_ name: String, _ shape: [Int]) throws -> LSTMBlock {
            try LSTMBlock(
                name: name, inputShape: shape, hiddenSize: hiddenSize, numLayers: layers, nonLinearity: nonLinearity)
        }
    }

    /// Multi-head attention settings, shared by `MultiHeadAttentionBlock` and `SelfAttentionSeqBlock`.
    private struct Attention {
        static let keys: Set<String> = ["num_heads", "dropout", "add_input_to_output", "bias"]
        let heads: Int, addInputToOutput: Bool

        init(_ settings: BlockSettings) throws {
            heads = try settings.positiveInt("num_heads")
            addInputToOutput = try settings.bool("add_input_to_output", default: true)
            try settings.require(
                try settings.float("dropout", default: 0) == 0, "dropout", "attention dropout is not supported (use 0)")
            try settings.require(
                try settings.bool("bias", default: true), "bias", "attention without bias is not supported")
        }
    }

    private static let builders: [(String, Builder)] = [
        (
            "DenseBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["hidden_units", "non_lin"])
                let (units, nonLinearity) = (try settings.hiddenUnits(), try settings.nonLinearity())
                return settings.recipe { name, shapes in
                    try DenseBlock(
                        name: name, inputShape: single(shapes, name, type), hiddenUnits: units,
                        nonLinearity: nonLinearity)
                }
            }
        ),
        (
            "VGGConvolutionBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["hidden_channels", "non_lin"])
                let (channels, nonLinearity) = (try settings.ints("hidden_channels"), try settings.nonLinearity())
                return settings.recipe { name, shapes in
                    try VGGConvolutionBlock(
                        name: name, inputShape: single(shapes, name, type), hiddenChannels: channels,
                        nonLinearity: nonLinearity)
                }
            }
        ),
        (
            "StridedConvolutionBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: Strided.keys)
                let strided = try Strided(settings)
                return settings.recipe { name, shapes in try strided.block(name, single(shapes, name, type)) }
            }
        ),
        (
            "FlattenBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["num_flatten_dims"])
                let dims = try settings.positiveInt("num_flatten_dims")
                return settings.recipe { name, shapes in
                    try FlattenBlock(name: name, inputShape: single(shapes, name, type), numFlattenDims: dims)
                }
            }
        ),
        (
            "FlattenDenseBlock",
            { type, config in
                let settings = try BlockSettings(
                    config, type: type, keys: ["num_flatten_dims", "hidden_units", "non_lin"])
                let (dims, units, nonLinearity) = (
                    try settings.positiveInt("num_flatten_dims"), try settings.hiddenUnits(),
                    try settings.nonLinearity()
                )
                return settings.recipe { name, shapes in
                    let flatten = try FlattenBlock(
                        name: name, inputShape: single(shapes, name, type), numFlattenDims: dims)
                    return try SequentialBlock([
                        flatten,
                        DenseBlock(
                            name: "\(name).dense", inputShape: flatten.outputShape, hiddenUnits: units,
                            nonLinearity: nonLinearity),
                    ])
                }
            }
        ),
        (
            "VGGConvolutionDenseBlock",
            { type, config in
                let settings = try BlockSettings(
                    config, type: type, keys: ["hidden_channels", "hidden_units", "non_lin"])
                let (channels, units, nonLinearity) = (
                    try settings.ints("hidden_channels"), try settings.hiddenUnits(), try settings.nonLinearity()
                )
                return settings.recipe { name, shapes in
                    let convolution = try VGGConvolutionBlock(
                        name: "\(name).conv", inputShape: single(shapes, name, type), hiddenChannels: channels,
                        nonLinearity: nonLinearity)
                    return try flattenedDense(after: convolution, name: name, units: units, nonLinearity: nonLinearity)
                }
            }
        ),
        (
            "VGGConvolutionGAPBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["hidden_channels", "non_lin"])
                let (channels, nonLinearity) = (try settings.ints("hidden_channels"), try settings.nonLinearity())
                return settings.recipe { name, shapes in
                    let convolution = try VGGConvolutionBlock(
                        name: "\(name).conv", inputShape: single(shapes, name, type), hiddenChannels: channels,
                        nonLinearity: nonLinearity)
                    return try SequentialBlock([
                        convolution, GlobalAveragePoolingBlock(name: name, inputShape: convolution.outputShape),
                    ])
                }
            }
        ),
        (
            "StridedConvolutionDenseBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: Strided.keys.union(["hidden_units"]))
                let (strided, units) = (try Strided(settings), try settings.hiddenUnits())
                return settings.recipe { name, shapes in
                    try flattenedDense(
                        after: strided.block("\(name).conv", single(shapes, name, type)), name: name, units: units,
                        nonLinearity: strided.nonLinearity)
                }
            }
        ),
        (
            "GlobalAveragePoolingBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: [])
                return settings.recipe { name, shapes in
                    try GlobalAveragePoolingBlock(name: name, inputShape: single(shapes, name, type))
                }
            }
        ),
        (
            "MaskedGlobalPoolingBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["pooling_func", "pooling_dim"])
                let (function, dim) = (
                    try settings.pooling("pooling_func"), try settings.int("pooling_dim", default: -2)
                )
                return settings.recipe { name, shapes in
                    guard let first = shapes.first else {
                        throw PerceptionError.invalidConfiguration("'\(name)': MaskedGlobalPoolingBlock needs an input")
                    }
                    return try MaskedGlobalPoolingBlock(
                        name: name, inputShape: first, function: function, poolingDim: dim)
                }
            }
        ),
        (
            "PointNetFeatureBlock",
            { type, config in
                let settings = try BlockSettings(
                    config, type: type,
                    keys: ["embedding_dim", "pooling_func_name", "use_feature_transform", "non_lin"])
                let (dimension, function, nonLinearity) = (
                    try settings.positiveInt("embedding_dim"), try settings.pooling("pooling_func_name"),
                    try settings.nonLinearity()
                )
                try settings.require(
                    !(try settings.bool("use_feature_transform", default: false)), "use_feature_transform",
                    "the feature transform (T-Net) is not supported")
                return settings.recipe { name, shapes in
                    guard let first = shapes.first else {
                        throw PerceptionError.invalidConfiguration("'\(name)': PointNetFeatureBlock needs an input")
                    }
                    return try PointNetFeatureBlock(
                        name: name, inputShape: first, embeddingDim: dimension, pooling: function,
                        nonLinearity: nonLinearity)
                }
            }
        ),
        (
            "GraphConvBlock",
            { type, config in
                let settings = try BlockSettings(
                    config, type: type,
                    keys: [
                        "hidden_features", "bias", "non_lin", "node_self_importance", "trainable_node_self_importance",
                        "preprocess_adj",
                    ])
                let features = try settings.ints("hidden_features")
                let bias = try settings.bool("bias", default: true)
                let nonLinearity = try settings.nonLinearity()
                let importance = try settings.float("node_self_importance", default: 1)
                let preprocess = try settings.bool("preprocess_adj", default: true)
                try settings.require(
                    !(try settings.bool("trainable_node_self_importance", default: false)),
                    "trainable_node_self_importance", "a trainable self importance is not supported")
                return settings.recipe { name, shapes in
                    try GraphConvBlock(
                        name: name, inputShapes: shapes, hiddenFeatures: features, bias: bias,
                        nonLinearity: nonLinearity, selfImportance: importance,
                        preprocessAdjacency: preprocess)
                }
            }
        ),
        (
            "GraphAttentionBlock",
            { type, config in
                let settings = try BlockSettings(
                    config, type: type,
                    keys: [
                        "hidden_features", "non_lins", "n_heads", "attention_alpha", "avg_last_head_attentions",
                        "attention_dropout",
                    ])
                let features = try settings.ints("hidden_features")
                let layers = features.count
                let section = settings.config
                let nonLinearities = try section.perLayer("non_lins", layers: layers) { try $0.activation() }
                let heads = try section.perLayer("n_heads", layers: layers) { try $0.int() }
                let alphas =
                    section.nonNull("attention_alpha") == nil
                    ? [Float](repeating: 0.2, count: layers)
                    : try section.perLayer("attention_alpha", layers: layers) { Float(try $0.double()) }
                let averaged = try settings.bool("avg_last_head_attentions", default: true)
                if section.nonNull("attention_dropout") != nil {
                    try settings.require(
                        try section.perLayer("attention_dropout", layers: layers) { try $0.double() }.allSatisfy {
                            $0 == 0
                        }, "attention_dropout", "attention dropout is not supported (use 0)")
                }
                return settings.recipe { name, shapes in
                    try GraphAttentionBlock(
                        name: name, inputShapes: shapes, hiddenFeatures: features, heads: heads, alphas: alphas,
                        nonLinearities: nonLinearities, averageLastHeads: averaged)
                }
            }
        ),
        (
            "MultiHeadAttentionBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: Attention.keys)
                let attention = try Attention(settings)
                return settings.recipe { name, shapes in
                    try MultiHeadAttentionBlock(
                        name: name, inputShapes: shapes, heads: attention.heads,
                        addInputToOutput: attention.addInputToOutput)
                }
            }
        ),
        (
            "SelfAttentionSeqBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: Attention.keys)
                let attention = try Attention(settings)
                return settings.recipe { name, shapes in
                    try SelfAttentionSeqBlock(
                        name: name, inputShapes: shapes, heads: attention.heads,
                        addInputToOutput: attention.addInputToOutput)
                }
            }
        ),
        (
            "SelfAttentionConvBlock",
            { type, config in
                let settings = try BlockSettings(
                    config, type: type, keys: ["embed_dim", "add_input_to_output", "bias"])
                let dimension = try settings.positiveInt("embed_dim")
                let addInput = try settings.bool("add_input_to_output", default: true)
                try settings.require(
                    try settings.bool("bias", default: true), "bias", "projections without bias are not supported")
                return settings.recipe { name, shapes in
                    try SelfAttentionConvBlock(
                        name: name, inputShape: single(shapes, name, type), embedDim: dimension,
                        addInputToOutput: addInput)
                }
            }
        ),
        (
            "LSTMBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: Recurrent.keys)
                let recurrent = try Recurrent(settings)
                return settings.recipe { name, shapes in try recurrent.block(name, single(shapes, name, type)) }
            }
        ),
        (
            "LSTMLastStepBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: Recurrent.keys)
                let recurrent = try Recurrent(settings)
                return settings.recipe { name, shapes in
                    let lstm = try recurrent.block(name, single(shapes, name, type))
                    return try SequentialBlock([
                        lstm, SliceBlock(name: name, inputShape: lstm.outputShape, sliceDim: 1, sliceIndex: -1),
                    ])
                }
            }
        ),
        (
            "SliceBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["slice_dim", "slice_idx"])
                let (dim, index) = (try settings.int("slice_dim"), try settings.int("slice_idx"))
                return settings.recipe { name, shapes in
                    try SliceBlock(name: name, inputShape: single(shapes, name, type), sliceDim: dim, sliceIndex: index)
                }
            }
        ),
        (
            "MultiIndexSlicingBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["select_dim", "select_idxs"])
                let (dim, indices) = (try settings.int("select_dim"), try settings.ints("select_idxs"))
                return settings.recipe { name, shapes in
                    try MultiIndexSlicingBlock(
                        name: name, inputShape: single(shapes, name, type), selectDim: dim, selectIndices: indices)
                }
            }
        ),
        (
            "RepeatToMatchBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["repeat_at_idx"])
                let index = try settings.int("repeat_at_idx")
                return settings.recipe { name, shapes in
                    try RepeatToMatchBlock(name: name, inputShapes: shapes, repeatAtIndex: index)
                }
            }
        ),
        (
            "CorrelationBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["reduce"])
                let reduce = try settings.bool("reduce", default: false)
                return settings.recipe { name, shapes in
                    try CorrelationBlock(name: name, inputShapes: shapes, reduce: reduce)
                }
            }
        ),
        (
            "ActionMaskingBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: [])
                return settings.recipe { name, shapes in try ActionMaskingBlock(name: name, inputShapes: shapes) }
            }
        ),
        (
            "ConcatenationBlock",
            { type, config in
                let settings = try BlockSettings(config, type: type, keys: ["concat_dim"])
                let dim = try settings.int("concat_dim", default: -1)
                return settings.recipe { name, shapes in
                    try ConcatenationBlock(name: name, inputShapes: shapes, concatDim: dim)
                }
            }
        ),
    ]

    /// `block`, its output flattened, then a DenseBlock `<name>.dense`: the tail of Maze's joint conv-dense blocks.
    private static func flattenedDense(
        after block: some PerceptionBlock, name: String, units: [Int], nonLinearity: Activation
    ) throws -> SequentialBlock {
        let flatten = try FlattenBlock(
            name: name, inputShape: block.outputShape, numFlattenDims: block.outputShape.count)
        return try SequentialBlock([
            block, flatten,
            DenseBlock(
                name: "\(name).dense", inputShape: flatten.outputShape, hiddenUnits: units, nonLinearity: nonLinearity),
        ])
    }
}
