import MazeTensor

/// Maze's `GraphConvBlock` (Kipf & Welling 2017): inputs node features `[N, F]` and an adjacency
/// matrix `[N, N]`; each layer computes `H' = σ(Â H W + b)` with the renormalised adjacency
/// `Â = D^-½ (A + λI) D^-½`, `D` the degrees of `A + λI` and `λ` = `node_self_importance`.
/// The adjacency is an observation: it receives no gradient. Parameters `<name>.<layer>.weight/bias`.
public struct GraphConvBlock: PerceptionBlock, Equatable, Codable {
    public let nodeShape: [Int]
    public let layers: [Linear]
    public let selfImportance: Float
    /// Whether the adjacency is renormalised here (`preprocess_adj`); otherwise it is used as given.
    public let preprocessAdjacency: Bool

    public init(
        name: String, inputShapes: [[Int]], hiddenFeatures: [Int], bias: Bool, nonLinearity: Activation,
        selfImportance: Float,
        preprocessAdjacency: Bool
    ) throws {
        guard inputShapes.count == 2, inputShapes[0].count == 2,
            inputShapes[1] == [inputShapes[0][0], inputShapes[0][0]]
        else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a GraphConvBlock reads node features [N, F] and an adjacency [N, N], got \(inputShapes)")
        }
        guard bias else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': bias: false is not supported (the layers always have a bias)")
        }
        guard !hiddenFeatures.isEmpty else {
            throw PerceptionError.invalidConfiguration("'\(name)': hidden_features is empty")
        }
        var width = inputShapes[0][1]
        var layers: [Linear] = []
        for (index, features) in hiddenFeatures.enumerated() {
            layers.append(
                try Linear(name: "\(name).\(index)", inputs: width, outputs: features, activation: nonLinearity))
            width = features
        }
        self.nodeShape = inputShapes[0]
        self.layers = layers
        self.selfImportance = selfImportance
        self.preprocessAdjacency = preprocessAdjacency
    }

    public var outputShape: [Int] { [nodeShape[0], layers[layers.count - 1].outputs] }

    public func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        for layer in layers { try layer.initialize(&parameters, with: .xavierUniform(gain: 1), using: &generator) }
    }

    /// `Â` for every sample of `adjacency` `[B, N, N]`.
    func normalized(_ adjacency: Tensor) throws -> Tensor {
        guard preprocessAdjacency else { return adjacency }
        let nodes = nodeShape[0]
        let batch = adjacency.shape[0]
        var scalars = adjacency.scalars
        for sample in 0..<batch {
            let base = sample * nodes * nodes
            for node in 0..<nodes { scalars[base + node * nodes + node] += selfImportance }
            let scale = (0..<nodes).map { row in
                let degree = (0..<nodes).reduce(Float(0)) { $0 + scalars[base + row * nodes + $1] }
                return degree > 0 ? 1 / degree.squareRoot() : 0
            }
            for row in 0..<nodes {
                for column in 0..<nodes { scalars[base + row * nodes + column] *= scale[row] * scale[column] }
            }
        }
        return try Tensor(shape: adjacency.shape, scalars: scalars)
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "GraphConvBlock", count: 2...2)
        try BlockInputs.expect(inputs[0], shape: nodeShape, "GraphConvBlock")
        try BlockInputs.expect(inputs[1], shape: [nodeShape[0], nodeShape[0]], "GraphConvBlock")
        let adjacency = inputs[0].tape.constant(try normalized(inputs[1].value))
        var nodes = inputs[0]
        // Â (H W) + b: the layer's product first, so the bias is added once per node after propagation.
        for layer in layers {
            let weight = try parameters[layer.weightName]
            let bias = try parameters[layer.biasName]
            let propagated = try adjacency.matmul(nodes.linear(weight: weight, bias: nil))
            nodes = try (propagated + bias).activated(layer.activation)
        }
        return nodes
    }
}
