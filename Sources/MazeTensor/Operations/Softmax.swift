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
        let result = Tensor(uncheckedShape: shape, scalars: output)
        let inputID = id
        return tape.record(result, inputs: [self]) { tape, upstream in
            upstream.withUnsafeScalars { g in
                result.withUnsafeScalars { y in
                    tape.accumulate(into: inputID) { gx in
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
