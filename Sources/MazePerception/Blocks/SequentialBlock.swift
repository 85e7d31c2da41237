import MazeTensor

/// Blocks applied one after the other, the first to the inputs and each next to its predecessor's
/// output: Maze's joint blocks (`FlattenDenseBlock`, `VGGConvolutionDenseBlock`,
/// `VGGConvolutionGAPBlock`, `StridedConvolutionDenseBlock`, `LSTMLastStepBlock`) are such chains.
struct SequentialBlock: PerceptionBlock {
    /// The stages, in application order; at least one.
    let stages: [any PerceptionBlock]

    init(_ stages: [any PerceptionBlock]) throws {
        guard !stages.isEmpty else {
            throw PerceptionError.invalidConfiguration("a chain of blocks needs at least one block")
        }
        self.stages = stages
    }

    var outputShape: [Int] { stages[stages.count - 1].outputShape }

    func initialize(_ parameters: inout ParameterStore, using generator: inout SeededGenerator) throws {
        for stage in stages { try stage.initialize(&parameters, using: &generator) }
    }

    func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        var hidden = try stages[0](inputs, parameters)
        for stage in stages.dropFirst() { hidden = try stage([hidden], parameters) }
        return hidden
    }
}
