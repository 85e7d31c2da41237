import Foundation
import MazeCore
import MazeTensor

/// Independent Bernoulli variables per row (a MultiBinary action), parameterised by logits
/// `[batch, n]`: P(1) = sigmoid(logit).
struct BernoulliDistribution: ActionDistribution {
    /// The logits, `[batch, n]`.
    let logits: Variable

    init(logits: Variable) throws {
        guard logits.shape.count == 2, logits.shape[1] > 0 else {
            throw PerceptionError.batchMismatch("Bernoulli logits need shape [batch, n], got \(logits.shape)")
        }
        self.logits = logits
    }

    var batchSize: Int { logits.shape[0] }
    var actionWidth: Int { logits.shape[1] }

    /// Σ a·l − softplus(l), the log-likelihood written without log(sigmoid) so it cannot overflow.
    func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        let taken = logits.tape.constant(actions)
        return try (taken * logits - logits.softplus()).rowSums()
    }

    /// Σ softplus(l) − l·sigmoid(l).
    func entropy() throws -> Variable {
        try (logits.softplus() - logits * logits.sigmoid()).rowSums()
    }

    func sample(using random: inout MazeRandom) throws -> Tensor {
        let values = logits.value.scalars.map { logit -> Float in
            random.nextUnit() < 1 / (1 + Foundation.exp(-Double(logit))) ? 1 : 0
        }
        return try Tensor(shape: logits.shape, scalars: values)
    }

    func mode() throws -> Tensor {
        try Tensor(shape: logits.shape, scalars: logits.value.scalars.map { $0 > 0 ? 1 : 0 })
    }

    /// Σ sigmoid(p)·(p − q) + softplus(q) − softplus(p) for logits p (self) and q (other).
    func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        let difference = try logits - other.logits
        return try (logits.sigmoid() * difference + other.logits.softplus() - logits.softplus()).rowSums()
    }
}
