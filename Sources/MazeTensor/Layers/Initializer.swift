import Foundation

/// How a weight matrix of shape `[outputs, inputs]` is drawn. Biases always start at zero.
public enum Initializer: Sendable, Equatable, Codable {
    /// A (semi-)orthogonal matrix scaled by `gain`, as PPO implementations use
    /// (`√2` for hidden layers, `0.01` for the policy head, `1` for the value head).
    case orthogonal(gain: Float)
    /// Glorot/Xavier uniform: `U(-a, a)` with `a = gain · √(6 / (inputs + outputs))`.
    case xavierUniform(gain: Float)
    /// He/Kaiming normal for ReLU layers: `N(0, 2 / inputs)`.
    case heNormal

    /// Draws a `[outputs, inputs]` weight matrix; both sizes must be positive.
    public func weight(outputs: Int, inputs: Int, using generator: inout some RandomNumberGenerator) throws(TensorError)
        -> Tensor
    {
        guard outputs > 0, inputs > 0 else { throw .invalidShape([outputs, inputs]) }
        let scalars: [Float]
        switch self {
        case .orthogonal(let gain):
            scalars = Self.orthogonal(rows: outputs, columns: inputs, using: &generator).map { Float($0) * gain }
        case .xavierUniform(let gain):
            let bound = gain * Float(6.0 / Double(inputs + outputs)).squareRoot()
            scalars = (0..<(outputs * inputs)).map { _ in Float.random(in: -bound...bound, using: &generator) }
        case .heNormal:
            let deviation = (2.0 / Double(inputs)).squareRoot()
            scalars = (0..<(outputs * inputs)).map { _ in Float(generator.nextGaussian() * deviation) }
        }
        return Tensor(uncheckedShape: [outputs, inputs], scalars: scalars)
    }

    /// Row-major `rows × columns` matrix whose rows (if rows ≤ columns) or columns (otherwise) are
    /// orthonormal: Gram–Schmidt on a Gaussian matrix, which equals QR with a positive diagonal of R.
    private static func orthogonal(rows: Int, columns: Int, using generator: inout some RandomNumberGenerator)
        -> [Double]
    {
        let long = Swift.max(rows, columns)
        let short = Swift.min(rows, columns)
        // `short` vectors of length `long`, one after another in one buffer, orthonormalised in place (twice, for
        // numerical orthogonality). Pointers, not nested arrays: a 256 × 256 matrix took 0.2 s of every process's
        // start-up through the arrays' checks; the arithmetic and its order are the same.
        var vectors = (0..<(short * long)).map { _ in generator.nextGaussian() }
        vectors.withUnsafeMutableBufferPointer { vectors in
            guard let base = vectors.baseAddress else { return }
            for index in 0..<short {
                let vector = base + index * long
                for _ in 0..<2 {
                    for previous in 0..<index {
                        let other = base + previous * long
                        var projection = 0.0
                        for k in 0..<long { projection += vector[k] * other[k] }
                        for k in 0..<long { vector[k] -= projection * other[k] }
                    }
                }
                var squares = 0.0
                for k in 0..<long { squares += vector[k] * vector[k] }
                let norm = squares.squareRoot()
                for k in 0..<long { vector[k] /= norm }
            }
        }
        var matrix = [Double](repeating: 0, count: rows * columns)
        for index in 0..<short {
            for k in 0..<long {
                // Vectors are rows when the matrix is wide, columns when it is tall.
                if rows <= columns {
                    matrix[index * columns + k] = vectors[index * long + k]
                } else {
                    matrix[k * columns + index] = vectors[index * long + k]
                }
            }
        }
        return matrix
    }
}
