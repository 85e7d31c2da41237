import Foundation

extension Variable {
    /// `x - logsumexp(x)` along `axis`, shifted by the maximum so that large logits do not overflow.
    /// Entries of `-inf` (masked out) give `-inf` and a zero gradient.
    public func logSoftmax(alongAxis axis: Int = -1) throws(TensorError) -> Variable {
        try normalized(alongAxis: axis, logarithmic: true)
    }

    /// `exp(x) / Σ exp(x)` along `axis`, computed stably.
    public func softmax(alongAxis axis: Int = -1) throws(TensorError) -> Variable {
        try normalized(alongAxis: axis, logarithmic: false)
    }

    private func normalized(alongAxis axis: Int, logarithmic: Bool) throws(TensorError) -> Variable {
        try tape.check(self)
        let resolved = try Shape.normalize(axis: axis, rank: shape.count)
        let (outer, length, inner) = Shape.split(shape, at: resolved)
        var output = tape.makeBuffer(count: value.scalarCount)
        value.withUnsafeScalars { x in
            output.withUnsafeMutableBufferPointer { y in
                SoftmaxKernel.normalize(
                    x, into: y, outer: outer, length: length, inner: inner, logarithmic: logarithmic)
            }
        }
        // The axis and the kind travel in the operation, so the backward step captures nothing.
        let operation = Operation(self, sizes: (resolved, logarithmic ? 1 : 0, 0))
        return tape.record(Tensor(uncheckedShape: shape, scalars: output), operation) { tape, operation, upstream in
            let result = tape.value(of: operation.node)
            let (outer, length, inner) = Shape.split(result.shape, at: operation.sizes.0)
            let logarithmic = operation.sizes.1 == 1
            upstream.withUnsafeScalars { g in
                result.withUnsafeScalars { y in
                    tape.accumulate(into: operation.first) { gx in
                        for o in 0..<outer {
                            for i in 0..<inner {
                                let start = o * length * inner + i
                                if logarithmic {
                                    // d/dx_j = g_j - softmax_j · Σ g
                                    var total: Float = 0
                                    for j in 0..<length { total += g[start + j * inner] }
                                    for j in 0..<length {
                                        let k = start + j * inner
                                        gx[k] += g[k] - Foundation.exp(y[k]) * total
                                    }
                                } else {
                                    // d/dx_j = y_j · (g_j - Σ g·y)
                                    var dot: Float = 0
                                    for j in 0..<length { dot += g[start + j * inner] * y[start + j * inner] }
                                    for j in 0..<length {
                                        let k = start + j * inner
                                        gx[k] += y[k] * (g[k] - dot)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// `x - logsumexp(x)` along `axis` without a tape (e.g. for acting), computed exactly as
    /// `Variable.logSoftmax(alongAxis:)` computes its value.
    public func logSoftmax(alongAxis axis: Int = -1) throws(TensorError) -> Tensor {
        let resolved = try Shape.normalize(axis: axis, rank: shape.count)
        let (outer, length, inner) = Shape.split(shape, at: resolved)
        let output = withUnsafeScalars { x in
            [Float](unsafeUninitializedCapacity: scalarCount) { y, count in
                SoftmaxKernel.normalize(x, into: y, outer: outer, length: length, inner: inner, logarithmic: true)
                count = scalarCount
            }
        }
        return Tensor(uncheckedShape: shape, scalars: output)
    }
}

/// The forward arithmetic of softmax and log-softmax, shared by the tape and the tape-free paths (and the actors'
/// batched acting, on rows of its own buffers) so all give the same bits.
package enum SoftmaxKernel {
    /// Normalizes every line of `length` elements (stride `inner`) of `x` into `y`, which it fully writes.
    package static func normalize(
        _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, outer: Int, length: Int, inner: Int,
        logarithmic: Bool
    ) {
        for o in 0..<outer {
            for i in 0..<inner {
                let start = o * length * inner + i
                var largest = -Float.infinity
                for j in 0..<length { largest = Swift.max(largest, x[start + j * inner]) }
                // A line that is entirely -inf stays -inf (log) / 0 (probabilities) instead of NaN.
                let shift = largest.isFinite ? largest : 0
                var total: Float = 0
                for j in 0..<length { total += Foundation.exp(x[start + j * inner] - shift) }
                // (x - shift) is exact for nearby logits; subtracting log(total) last keeps
                // the result accurate even when the logits themselves are large.
                let logTotal = Foundation.log(total)
                for j in 0..<length {
                    let logProbability = (x[start + j * inner] - shift) - logTotal
                    y[start + j * inner] = logarithmic ? logProbability : Foundation.exp(logProbability)
                }
            }
        }
    }
}
