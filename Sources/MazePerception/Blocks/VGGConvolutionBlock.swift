import MazeTensor

/// Maze's `VGGConvolutionBlock` (Simonyan & Zisserman 2015): per entry of `hiddenChannels` a stack of
/// two 3×3 convolutions (padding 1), each followed by the non-linearity, then 2×2 max pooling.
/// Input `[C, H, W]`; output `[hiddenChannels.last, H / 2ⁿ, W / 2ⁿ]`. Parameters `<name>.<stack>.conv1|conv2.weight/bias`.
public struct VGGConvolutionBlock: ConvolutionStack, Equatable, Codable {
    /// The convolutions, two per stack.
    public let convolutions: [Conv2d]
    public let inputShape: [Int]
    public let outputShape: [Int]

    public init(name: String, inputShape: [Int], hiddenChannels: [Int], nonLinearity: Activation) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a VGGConvolutionBlock needs [channels, height, width] inputs, got \(inputShape)")
        }
        guard !hiddenChannels.isEmpty, hiddenChannels.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': hidden_channels needs positive channel counts, got \(hiddenChannels)")
        }
        var (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        var convolutions: [Conv2d] = []
        for (stack, hidden) in hiddenChannels.enumerated() {
            guard height >= 2, width >= 2 else {
                throw PerceptionError.invalidConfiguration(
                    "'\(name)': \(hiddenChannels.count) pooling stages do not fit an input of \(inputShape)")
            }
            convolutions.append(
                try Conv2d(
                    name: "\(name).\(stack).conv1", inputs: channels, outputs: hidden, kernel: 3, padding: 1,
                    activation: nonLinearity))
            convolutions.append(
                try Conv2d(
                    name: "\(name).\(stack).conv2", inputs: hidden, outputs: hidden, kernel: 3, padding: 1,
                    activation: nonLinearity))
            (channels, height, width) = (hidden, height / 2, width / 2)
        }
        self.convolutions = convolutions
        self.inputShape = inputShape
        outputShape = [channels, height, width]
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "VGGConvolutionBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "VGGConvolutionBlock")
        var hidden = inputs[0]
        for (index, convolution) in convolutions.enumerated() {
            hidden = try convolution(hidden, parameters)
            if index % 2 == 1 { hidden = try hidden.maxPool2d(kernel: 2) }
        }
        return hidden
    }
}
