import MazeTensor

/// Maze's `StridedConvolutionBlock`: convolutions of `hiddenChannels` outputs with their own kernel
/// sizes, strides and paddings, each followed by the non-linearity (the Atari DQN encoder is
/// `[32, 64, 64]` channels, kernels `[8, 4, 3]`, strides `[4, 2, 1]`). Input `[C, H, W]`.
/// Parameters `<name>.<layer>.weight/bias`.
public struct StridedConvolutionBlock: ConvolutionStack, Equatable, Codable {
    public let convolutions: [Conv2d]
    public let inputShape: [Int]
    public let outputShape: [Int]

    public init(
        name: String, inputShape: [Int], hiddenChannels: [Int], kernels: [Int], strides: [Int], paddings: [Int],
        nonLinearity: Activation
    ) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': a StridedConvolutionBlock needs [channels, height, width] inputs, got \(inputShape)")
        }
        let count = hiddenChannels.count
        guard count > 0, kernels.count == count, strides.count == count, paddings.count == count else {
            throw PerceptionError.invalidConfiguration(
                "'\(name)': hidden_channels, hidden_kernels, convolution_strides and padding need one entry per layer, got \(count), \(kernels.count), \(strides.count), \(paddings.count)"
            )
        }
        var (channels, height, width) = (inputShape[0], inputShape[1], inputShape[2])
        var convolutions: [Conv2d] = []
        for layer in 0..<count {
            let convolution = try Conv2d(
                name: "\(name).\(layer)", inputs: channels, outputs: hiddenChannels[layer], kernel: kernels[layer],
                stride: strides[layer],
                padding: paddings[layer], activation: nonLinearity)
            guard let size = convolution.outputSize(height: height, width: width) else {
                throw PerceptionError.invalidConfiguration(
                    "'\(name)': layer \(layer) (kernel \(kernels[layer])) does not fit its \(height)×\(width) input")
            }
            convolutions.append(convolution)
            (channels, height, width) = (hiddenChannels[layer], size.height, size.width)
        }
        self.convolutions = convolutions
        self.inputShape = inputShape
        outputShape = [channels, height, width]
    }

    public func callAsFunction(_ inputs: [Variable], _ parameters: BoundParameters) throws -> Variable {
        try BlockInputs.check(inputs, "StridedConvolutionBlock", count: 1...1)
        try BlockInputs.expect(inputs[0], shape: inputShape, "StridedConvolutionBlock")
        var hidden = inputs[0]
        for convolution in convolutions { hidden = try convolution(hidden, parameters) }
        return hidden
    }
}
