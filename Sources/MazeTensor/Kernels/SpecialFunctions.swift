import Foundation

/// The gamma-function family needed by Beta distributions (log-density, entropy, KL), in Float64.
enum SpecialFunctions {
    /// Below this, arguments are shifted up with the recurrence before the asymptotic series is used;
    /// at 6 the series' truncation error is below 10⁻¹², far under Float32 resolution.
    private static let asymptoticThreshold = 6.0

    /// ψ(x) = d/dx log Γ(x), via ψ(x) = ψ(x + 1) − 1/x and the asymptotic expansion.
    static func digamma(_ input: Double) -> Double {
        var x = input
        var result = 0.0
        while x < asymptoticThreshold {
            result -= 1 / x
            x += 1
        }
        let f = 1 / (x * x)
        let series = f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))))
        return result + Foundation.log(x) - 0.5 / x - series
    }

    /// ψ′(x), via ψ′(x) = ψ′(x + 1) + 1/x² and the asymptotic expansion.
    static func trigamma(_ input: Double) -> Double {
        var x = input
        var result = 0.0
        while x < asymptoticThreshold {
            result += 1 / (x * x)
            x += 1
        }
        let f = 1 / (x * x)
        let series = 1 / x + f / 2 + f / x * (1.0 / 6 - f * (1.0 / 30 - f * (1.0 / 42 - f / 30)))
        return result + series
    }
}

extension Variable {
    /// log Γ(x), for Beta and Gamma log-densities; its gradient is the digamma function.
    public func logGamma() throws(TensorError) -> Variable {
        try elementwise {
            Float(Foundation.lgamma(Double($0)))
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, input, _ in
                gradient * Float(SpecialFunctions.digamma(Double(input)))
            }
        }
    }

    /// ψ(x) = d/dx log Γ(x), for the entropy and KL divergence of Beta distributions.
    public func digamma() throws(TensorError) -> Variable {
        try elementwise {
            Float(SpecialFunctions.digamma(Double($0)))
        } backward: {
            $0.addElementwiseGradient($1, $2) { gradient, input, _ in
                gradient * Float(SpecialFunctions.trigamma(Double(input)))
            }
        }
    }
}
