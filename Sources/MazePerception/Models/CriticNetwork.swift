import MazeTensor

/// A state critic V(s): a network with one output column, read as one value per row.
public struct CriticNetwork: Sendable {
    /// The network; one head of width 1.
    public let network: PerceptionNetwork

    public init(network: PerceptionNetwork) throws {
        guard network.outputs == 1 else {
            throw PerceptionError.invalidConfiguration(
                "critic '\(network.name)' must have one output, has \(network.outputs)")
        }
        self.network = network
    }

    /// `[batch]` values on the tape of `parameters`.
    public func values(_ observations: Tensor, _ parameters: BoundParameters) throws -> Variable {
        let rows = parameters.tape.constant(observations)
        return try network(rows, parameters).flattened()
    }

    /// `[batch]` values without a tape.
    public func values(_ observations: Tensor, _ parameters: ParameterStore) throws -> [Float] {
        try network(observations, parameters).scalars
    }
}
