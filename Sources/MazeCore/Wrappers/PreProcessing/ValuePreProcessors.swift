/// One-hot encodes a Discrete (to `[n]`) or MultiDiscrete (to `[k, max n]`) entry (Maze's
/// OneHotPreProcessor).
struct OneHotPreProcessor: PreProcessor {
    var tag: String { "one_hot" }

    init() {}

    func processedSpace(_ space: Space) throws(MazeError) -> Space {
        switch space {
        case .discrete(let n): return uniformBox(0, 1, shape: [n])
        case .multiDiscrete(let nvec): return uniformBox(0, 1, shape: [nvec.count, nvec.max() ?? 0])
        default: throw .invalidConfiguration("one-hot encoding needs a Discrete or MultiDiscrete space, got \(space)")
        }
    }

    func process(_ value: NDArray, space: Space) -> NDArray {
        let width: Int
        switch space {
        case .discrete(let n): width = n
        case .multiDiscrete(let nvec): width = nvec.max() ?? 0
        default: return value
        }
        var encoded = [Float](repeating: 0, count: value.count * width)
        for index in 0..<value.count {
            let category = value.int(at: index)
            if (0..<width).contains(category) { encoded[index * width + category] = 1 }
        }
        return NDArray(floats: encoded, shape: space.shape.isEmpty ? [width] : [value.count, width])
    }
}

/// Converts RGB to gray scale (ITU-R 601 luma weights) along `rgbDim` (Maze's Rgb2GrayPreProcessor).
struct Rgb2GrayPreProcessor: PreProcessor {
    let rgbDim: Int
    var tag: String { "rgb2gray" }
    static let weights: [Float] = [0.299, 0.587, 0.114]

    init(rgbDim: Int = -1) { self.rgbDim = rgbDim }

    func processedSpace(_ space: Space) throws(MazeError) -> Space {
        let axis = try resolveDimension(rgbDim, rank: space.shape.count)
        guard space.shape[axis] == 3 else {
            throw .invalidConfiguration("dimension \(rgbDim) of \(space.shape) is not RGB")
        }
        var shape = space.shape
        shape.remove(at: axis)
        let (low, high) = bounds(of: space)
        return uniformBox(low, high, shape: shape)
    }

    func process(_ value: NDArray, space: Space) -> NDArray {
        guard let axis = try? resolveDimension(rgbDim, rank: value.shape.count), value.shape[axis] == 3 else {
            return value
        }
        let outer = value.shape.prefix(axis).reduce(1, *)
        let inner = value.shape.dropFirst(axis + 1).reduce(1, *)
        var gray = [Float](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for i in 0..<inner {
                var sum: Float = 0
                for channel in 0..<3 { sum += Self.weights[channel] * value.float(at: (o * 3 + channel) * inner + i) }
                gray[o * inner + i] = sum
            }
        }
        var shape = value.shape
        shape.remove(at: axis)
        return NDArray(floats: gray, shape: shape)
    }
}

/// Resizes images bilinearly to `targetSize` (height, width) (Maze's ResizeImgPreProcessor): shapes
/// `[H, W]` and `[H, W, C]`, or `[C, H, W]` when `transpose` says channels come first.
struct ResizeImgPreProcessor: PreProcessor {
    let targetSize: (height: Int, width: Int)
    let transpose: Bool
    var tag: String { "resize_img" }

    init(targetSize: (height: Int, width: Int), transpose: Bool = false) {
        self.targetSize = targetSize
        self.transpose = transpose
    }

    /// (channels, height, width) and whether channels are first, for a supported shape.
    private func layout(_ shape: [Int]) -> (channels: Int, height: Int, width: Int, channelsFirst: Bool)? {
        switch (shape.count, transpose) {
        case (2, _): (1, shape[0], shape[1], false)
        case (3, false): (shape[2], shape[0], shape[1], false)
        case (3, true): (shape[0], shape[1], shape[2], true)
        default: nil
        }
    }

    private func resizedShape(_ shape: [Int]) -> [Int] {
        switch (shape.count, transpose) {
        case (2, _): [targetSize.height, targetSize.width]
        case (3, false): [targetSize.height, targetSize.width, shape[2]]
        default: [shape[0], targetSize.height, targetSize.width]
        }
    }

    func processedSpace(_ space: Space) throws(MazeError) -> Space {
        guard layout(space.shape) != nil, targetSize.height > 0, targetSize.width > 0 else {
            throw .invalidConfiguration("cannot resize shape \(space.shape) to \(targetSize)")
        }
        let (low, high) = bounds(of: space)
        return uniformBox(low, high, shape: resizedShape(space.shape))
    }

    func process(_ value: NDArray, space: Space) -> NDArray {
        guard let (channels, height, width, channelsFirst) = layout(value.shape) else { return value }
        let (outHeight, outWidth) = targetSize
        func index(_ c: Int, _ y: Int, _ x: Int, _ h: Int, _ w: Int) -> Int {
            channelsFirst ? (c * h + y) * w + x : (y * w + x) * channels + c
        }
        var result = [Float](repeating: 0, count: channels * outHeight * outWidth)
        for y in 0..<outHeight {
            // align pixel centres, as common bilinear resizers do
            let sourceY = min(max((Float(y) + 0.5) * Float(height) / Float(outHeight) - 0.5, 0), Float(height - 1))
            let y0 = Int(sourceY)
            let y1 = min(y0 + 1, height - 1)
            let fy = sourceY - Float(y0)
            for x in 0..<outWidth {
                let sourceX = min(max((Float(x) + 0.5) * Float(width) / Float(outWidth) - 0.5, 0), Float(width - 1))
                let x0 = Int(sourceX)
                let x1 = min(x0 + 1, width - 1)
                let fx = sourceX - Float(x0)
                for c in 0..<channels {
                    let top =
                        value.float(at: index(c, y0, x0, height, width)) * (1 - fx) + value.float(
                            at: index(c, y0, x1, height, width)) * fx
                    let bottom =
                        value.float(at: index(c, y1, x0, height, width)) * (1 - fx) + value.float(
                            at: index(c, y1, x1, height, width)) * fx
                    result[index(c, y, x, outHeight, outWidth)] = top * (1 - fy) + bottom * fy
                }
            }
        }
        return NDArray(floats: result, shape: resizedShape(value.shape))
    }
}
