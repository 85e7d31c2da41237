import MazeTensor

/// Reproducible inputs for the tests.
enum Fixtures {
    static func tensor(_ shape: [Int], in range: ClosedRange<Float> = -2...2, seed: UInt64 = 1) throws -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let count = shape.reduce(1, *)
        return try Tensor(shape: shape, scalars: (0..<count).map { _ in Float.random(in: range, using: &generator) })
    }
}
