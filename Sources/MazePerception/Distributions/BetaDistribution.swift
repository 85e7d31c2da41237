import Foundation
import MazeCore
import MazeTensor

/// Beta distributions per element scaled onto a Box: `a = low + (high − low) · x`, `x ~ Beta(α, β)`.
/// Parameters are `[batch, 2n]`; `α = 1 + softplus(first n)`, `β = 1 + softplus(last n)`, so both
/// exceed 1 and the density is unimodal and finite on the closed box.
struct BetaDistribution: ActionDistribution {
    /// Actions are pulled this far inside the unit interval before taking logs.
    static let boundaryMargin: Float = 1e-6

    /// Concentrations α, `[batch, n]`.
    let alpha: Variable
    /// Concentrations β, `[batch, n]`.
    let beta: Variable
    /// The box the actions lie in.
    let bounds: BoxBounds

    /// `parameters` is `[batch, 2·bounds.count]`.
    init(parameters: Variable, bounds: BoxBounds) throws {
        let count = bounds.count
        guard parameters.shape.count == 2, parameters.shape[1] == 2 * count else {
            throw PerceptionError.batchMismatch(
                "Beta parameters need shape [batch, \(2 * count)], got \(parameters.shape)")
        }
        alpha = try parameters.columns(0..<count).softplus() + 1
        beta = try parameters.columns(count..<(2 * count)).softplus() + 1
        self.bounds = bounds
    }

    var batchSize: Int { alpha.shape[0] }
    var actionWidth: Int { bounds.count }

    /// Σ (α−1) log x + (β−1) log(1−x) − log B(α, β) − log(high − low).
    func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        let unit = bounds.mapColumns(actions.scalars) { value, element in
            Swift.min(
                Swift.max((value - bounds.low[element]) / bounds.width(element), Self.boundaryMargin),
                1 - Self.boundaryMargin)
        }
        let tape = alpha.tape
        let logX = tape.constant(try Tensor(shape: actions.shape, scalars: unit.map { Foundation.log($0) }))
        let logOneMinusX = tape.constant(try Tensor(shape: actions.shape, scalars: unit.map { Foundation.log1p(-$0) }))
        let density = try (alpha - 1) * logX + (beta - 1) * logOneMinusX - logBeta()
        return try (density - logWidths()).rowSums()
    }

    /// Σ log B(α, β) − (α−1)ψ(α) − (β−1)ψ(β) + (α+β−2)ψ(α+β) + log(high − low).
    func entropy() throws -> Variable {
        let total = try alpha + beta
        let differential =
            try logBeta() - (alpha - 1) * alpha.digamma() - (beta - 1) * beta.digamma() + (total - 2) * total.digamma()
        return try (differential + logWidths()).rowSums()
    }

    func sample(using random: inout MazeRandom) throws -> Tensor {
        var unit = [Float](repeating: 0, count: batchSize * actionWidth)
        for index in unit.indices {
            let x = GammaSampler.draw(shape: Double(alpha.value.scalars[index]), using: &random)
            let y = GammaSampler.draw(shape: Double(beta.value.scalars[index]), using: &random)
            unit[index] = Float(x / (x + y))
        }
        return try scaled(unit)
    }

    /// (α − 1) / (α + β − 2), defined because α, β > 1.
    func mode() throws -> Tensor {
        let unit = zip(alpha.value.scalars, beta.value.scalars).map { a, b in (a - 1) / (a + b - 2) }
        return try scaled(unit)
    }

    /// log B(βα,ββ) − log B(α,β) + (α−α')ψ(α) + (β−β')ψ(β) + (α'−α+β'−β)ψ(α+β) for other = (α', β');
    /// the box scaling cancels.
    func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        guard other.bounds == bounds else {
            throw PerceptionError.incompatibleDistributions("KL between Beta distributions on different boxes")
        }
        let total = try alpha + beta
        let terms =
            try other.logBeta() - logBeta() + (alpha - other.alpha) * alpha.digamma()
            + (beta - other.beta) * beta.digamma() + (other.alpha - alpha + other.beta - beta) * total.digamma()
        return try terms.rowSums()
    }

    private func logBeta() throws -> Variable {
        try alpha.logGamma() + beta.logGamma() - (alpha + beta).logGamma()
    }

    private func logWidths() throws -> Variable {
        alpha.tape.constant(
            try Tensor(shape: [actionWidth], scalars: (0..<actionWidth).map { Foundation.log(bounds.width($0)) }))
    }

    private func scaled(_ unit: [Float]) throws -> Tensor {
        try Tensor(
            shape: [batchSize, actionWidth],
            scalars: bounds.mapColumns(unit) { x, element in bounds.low[element] + x * bounds.width(element) })
    }
}

/// Gamma(shape, 1) variates by Marsaglia and Tsang's squeeze method (shape ≥ 1, which Beta's
/// concentrations always are here).
enum GammaSampler {
    static func draw(shape: Double, using random: inout MazeRandom) -> Double {
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let z = random.nextNormal()
            let v = 1 + c * z
            guard v > 0 else { continue }
            let cube = v * v * v
            let u = random.nextUnit()
            if u < 1 - 0.0331 * z * z * z * z || Foundation.log(u) < 0.5 * z * z + d * (1 - cube + Foundation.log(cube))
            {
                return d * cube
            }
        }
    }
}
