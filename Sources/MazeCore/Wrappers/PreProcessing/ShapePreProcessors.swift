/// Flattens the last `numFlattenDims` dimensions into one (Maze's FlattenPreProcessor).
struct FlattenPreProcessor: PreProcessor {
    let numFlattenDims: Int
    var tag: String { "flatten" }

    init(numFlattenDims: Int) { self.numFlattenDims = numFlattenDims }

    private func flattenedShape(_ shape: [Int]) -> [Int] {
        let kept = max(0, shape.count - numFlattenDims)
        return Array(shape.prefix(kept)) + [shape.dropFirst(kept).reduce(1, *)]
    }

    func processedSpace(_ space: Space) throws(MazeError) -> Space {
        guard numFlattenDims >= 1, numFlattenDims <= space.shape.count else {
            throw .invalidConfiguration("cannot flatten \(numFlattenDims) dimensions of shape \(space.shape)")
        }
        if case .box(let box) = space {
            return .box(BoxSpace(unchecked: box.low, box.high, shape: flattenedShape(box.shape), dtype: box.dtype))
        }
        let (low, high) = bounds(of: space)
        return uniformBox(low, high, shape: flattenedShape(space.shape))
    }

    func process(_ value: NDArray, space: Space) -> NDArray {
        var flattened = value
        flattened.shape = flattenedShape(value.shape)
        return flattened
    }
}

/// Inserts a dimension of size one at `dim` (Maze's UnSqueezePreProcessor).
struct UnsqueezePreProcessor: PreProcessor {
    let dim: Int
    var tag: String { "unsqueeze" }

    init(dim: Int) { self.dim = dim }

    private func unsqueezed(_ shape: [Int]) throws(MazeError) -> [Int] {
        let position = try resolveDimension(dim, rank: shape.count + 1)
        var result = shape
        result.insert(1, at: position)
        return result
    }

    func processedSpace(_ space: Space) throws(MazeError) -> Space {
        let shape = try unsqueezed(space.shape)
        if case .box(let box) = space {
            return .box(BoxSpace(unchecked: box.low, box.high, shape: shape, dtype: box.dtype))
        }
        let (low, high) = bounds(of: space)
        return uniformBox(low, high, shape: shape)
    }

    func process(_ value: NDArray, space: Space) -> NDArray {
        var result = value
        result.shape = (try? unsqueezed(value.shape)) ?? value.shape
        return result
    }
}

/// Permutes the dimensions into `dimOrder` (Maze's TransposePreProcessor).
struct TransposePreProcessor: PreProcessor {
    let dimOrder: [Int]
    var tag: String { "transpose" }

    init(dimOrder: [Int]) { self.dimOrder = dimOrder }

    func processedSpace(_ space: Space) throws(MazeError) -> Space {
        guard dimOrder.sorted() == Array(0..<space.shape.count) else {
            throw .invalidConfiguration("dim_order \(dimOrder) is not a permutation of \(space.shape.count) dimensions")
        }
        let shape = dimOrder.map { space.shape[$0] }
        if case .box(let box) = space {
            let permute = { (values: [Double]) in permuted(values, shape: box.shape) }
            return .box(BoxSpace(unchecked: permute(box.low), permute(box.high), shape: shape, dtype: box.dtype))
        }
        let (low, high) = bounds(of: space)
        return uniformBox(low, high, shape: shape)
    }

    func process(_ value: NDArray, space: Space) -> NDArray {
        switch value.storage {
        case .float32(let values):
            NDArray(floats: permuted(values, shape: value.shape), shape: dimOrder.map { value.shape[$0] })
        case .int64(let values):
            NDArray(ints: permuted(values, shape: value.shape), shape: dimOrder.map { value.shape[$0] })
        }
    }

    /// The elements of a C-order array of `shape` in the transposed C order.
    private func permuted<T>(_ values: [T], shape: [Int]) -> [T] {
        guard dimOrder.count == shape.count, let first = values.first else { return values }
        let newShape = dimOrder.map { shape[$0] }
        let strides = cStrides(shape)
        var result = [T](repeating: first, count: values.count)
        var index = [Int](repeating: 0, count: newShape.count)
        for flat in result.indices {
            var source = 0
            for axis in index.indices { source += index[axis] * strides[dimOrder[axis]] }
            result[flat] = values[source]
            var axis = newShape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < newShape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

/// The C-order strides (in elements) of `shape`.
func cStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    for axis in stride(from: shape.count - 2, through: 0, by: -1) {
        strides[axis] = strides[axis + 1] * shape[axis + 1]
    }
    return strides
}
