import MazeTensor

/// Maze's `PointNetFeatureBlock` (Qi et al. 2017, "PointNet"): every point of a set `[N, F]` goes
/// through the same layers `F → 64 → 128 → embedding_dim` (the paper's shared MLP, the non-linearity
/// after the first two), then a symmetric pooling over the points gives one `[embedding_dim]` feature
/// vector whatever the order of the points. An optional second input `[N]` (0/1) marks the points that
/// are present, for sets of varying size. Parameters `<name>.0|1|2.weight/bias`.
///
/// Differences to Maze: no batch normalisation between the layers, and no feature transform (T-Net).
public struct PointNetFeatureBlock: PerceptionBlock, Equatable, Codable {
    public let inputShape: [Int]
    public let layers: [Linear]
    public let pooling: PoolingFunction

    public init(name: String, inputShape: [Int], embeddingDim: Int, pooling: PoolingFunction, nonLinearity: Activation)
        throws
    {
        guard inputShape.count == 2, inputShape.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a PointNetFeatureBlock needs a set of points [points, features], got \(inputShape)")
        }
        guard embeddingDim > 0 else {
            throw PerceptionError.invalidConfiguration("'\(name)': embedding_dim must be positive, got \(embeddingDim)")
        }
        layers = [
            try Linear(name: "\(name).0", inputs: inputShape[1], outputs: 64, activation: nonLinearity),
            try Linear(name: "\(name).1", inputs: 64, outputs: 128, activation: nonLinearity),
            try Linear(name: "\(name).2", inputs: 128, outputs: embeddingDim),
        ]
        self.inputShape = inputShape
        self.pooling = pooling
    }

    public var outputShape: [Int] { [layers[2].outputs] }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        for layer in layers {
            try layer.initialize(&parameters, with: .orthogonal(gain: Float(2).squareRoot()), using: &generator)
        }
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "PointNetFeatureBlock", count: 1...2)
        try BlockInputs.expect(inputs[0], shape: inputShape, "PointNetFeatureBlock")
        var points = inputs[0]
        for layer in layers { points = try layer(points, parameters) }
        return try pooling.pool(points, axis: 0, mask: inputs.count == 2 ? BlockInputs.mask(inputs[1]) : nil)
    }
}
