/// Adam's element-wise step over one parameter's contiguous buffers, eight lanes at a time.
///
/// The arithmetic is that of `torch.optim.Adam` in the same order for every lane (each product, quotient and
/// square root is correctly rounded, so a lane computes exactly what a scalar loop would); the explicit SIMD
/// form only guarantees the vectorisation the compiler cannot prove safe for four buffers that might alias.
enum AdamKernel {
    /// The per-step constants: the learning rate, both decays and their bias corrections `1 − βᵗ`, and ε.
    struct Step {
        var rate: Float, beta1: Float, beta2: Float, correction1: Float, correction2: Float, epsilon: Float
    }

    /// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `θ ← θ − lr·(m/c₁) / (√(v/c₂) + ε)` for every element.
    static func apply(
        _ step: Step, value: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>,
        mean: UnsafeMutableBufferPointer<Float>, variance: UnsafeMutableBufferPointer<Float>
    ) {
        let count = value.count
        guard count > 0 else { return }
        let (theta, g) = (value.baseAddress!, gradient.baseAddress!)
        let (m, v) = (mean.baseAddress!, variance.baseAddress!)
        var index = 0
        while index + 8 <= count {
            var lanes = Lanes(theta: load(theta + index), g: load(g + index), m: load(m + index), v: load(v + index))
            lanes.update(step)
            store(lanes.theta, theta + index)
            store(lanes.m, m + index)
            store(lanes.v, v + index)
            index += 8
        }
        // The tail: the same lanes, padded with zeros that are never written back.
        let tail = count - index
        guard tail > 0 else { return }
        var lanes = Lanes(theta: .zero, g: .zero, m: .zero, v: .zero)
        for lane in 0..<tail {
            (lanes.theta[lane], lanes.g[lane]) = (theta[index + lane], g[index + lane])
            (lanes.m[lane], lanes.v[lane]) = (m[index + lane], v[index + lane])
        }
        lanes.update(step)
        for lane in 0..<tail {
            (theta[index + lane], m[index + lane], v[index + lane]) = (lanes.theta[lane], lanes.m[lane], lanes.v[lane])
        }
    }

    /// Eight elements of the parameter, its gradient and both moments.
    private struct Lanes {
        var theta: SIMD8<Float>, g: SIMD8<Float>, m: SIMD8<Float>, v: SIMD8<Float>

        @inline(__always)
        mutating func update(_ step: Step) {
            m = step.beta1 * m + (1 - step.beta1) * g
            v = step.beta2 * v + (1 - step.beta2) * g * g
            theta -= step.rate * (m / step.correction1) / ((v / step.correction2).squareRoot() + step.epsilon)
        }
    }

    @inline(__always)
    private static func load(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ lanes: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: lanes, as: SIMD8<Float>.self)
    }
}
