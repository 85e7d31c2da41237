import Foundation
import MazeCore
import MazeTensor

/// A categorical distribution per row over `0..<n` (a Discrete action), optionally with an action mask.
///
/// Masked-out actions have their logits replaced by a large negative constant rather than `-inf`:
/// their probability underflows to exactly zero, they are never sampled or chosen as the mode, and
/// log-probabilities, entropies and gradients stay finite (no `0 · -inf`).
struct CategoricalDistribution: ActionDistribution {
    /// Logit of a masked-out action: exp of it (minus any reasonable logit) is exactly zero in Float32.
    static let maskedLogit: Float = -1e9

    /// Normalized log-probabilities, `[batch, n]` (masked entries ≈ -1e9, probability exactly 0).
    let logProbabilities: Variable
    /// Which actions each row allows, `[batch, n]`; `nil` allows all.
    let mask: Mask?

    /// `logits` is `[batch, n]`; `mask` (same shape, `true` = allowed) removes actions.
    init(logits: Variable, mask: Mask? = nil) throws {
        guard logits.shape.count == 2, logits.shape[1] > 0 else {
            throw PerceptionError.batchMismatch("categorical logits need shape [batch, n], got \(logits.shape)")
        }
        var masked = logits
        if let mask {
            guard mask.shape == logits.shape else {
                throw PerceptionError.batchMismatch(
                    "action mask of shape \(mask.shape) for logits of shape \(logits.shape)")
            }
            let forbidden = try Mask(shape: mask.shape, elements: mask.elements.map { !$0 })
            masked = try logits.maskedFill(forbidden, with: Self.maskedLogit)
        }
        logProbabilities = try masked.logSoftmax(alongAxis: 1)
        self.mask = mask
    }

    var batchSize: Int { logProbabilities.shape[0] }
    var actionWidth: Int { 1 }
    /// Number of categories.
    var categoryCount: Int { logProbabilities.shape[1] }

    func logProb(_ actions: Tensor) throws -> Variable {
        try checkActions(actions)
        let count = Float(categoryCount)
        // Actions can arrive from other processes: anything but an index in range is an error, not a trap.
        guard let bad = actions.scalars.first(where: { !($0 >= 0 && $0 < count) || $0.rounded() != $0 }) else {
            return try logProbabilities.pickingColumns(actions)
        }
        throw PerceptionError.batchMismatch("action \(bad) is not an index in 0..<\(categoryCount)")
    }

    func entropy() throws -> Variable {
        // Masked entries contribute 0 · (-1e9) = 0 exactly.
        try (logProbabilities.exp() * logProbabilities).rowSums().negated()
    }

    func sample(using random: inout MazeRandom) throws -> Tensor {
        try Self.sample(logProbabilities: logProbabilities.value, mask: mask, using: &random)
    }

    func mode() throws -> Tensor {
        try Self.mode(logProbabilities: logProbabilities.value, mask: mask)
    }

    func kl(to other: any ActionDistribution) throws -> Variable {
        let other = try sameKind(other, as: Self.self)
        guard other.categoryCount == categoryCount else {
            throw PerceptionError.incompatibleDistributions(
                "KL between categoricals over \(categoryCount) and \(other.categoryCount) actions")
        }
        return try (logProbabilities.exp() * (logProbabilities - other.logProbabilities)).rowSums()
    }

    // MARK: - On plain tensors, shared with the tape-free acting path

    /// One action per row of normalized `[batch, n]` log-probabilities, drawn with one `random.nextUnit()` per row:
    /// the index at which the cumulative probability of the allowed actions passes the draw.
    static func sample(logProbabilities: Tensor, mask: Mask?, using random: inout MazeRandom) throws -> Tensor {
        try choose(logProbabilities, mask) { sampleIndex($0, allowed: $1, using: &random) }
    }

    /// The most probable allowed action of each row (the first of equals).
    static func mode(logProbabilities: Tensor, mask: Mask?) throws -> Tensor {
        try choose(logProbabilities, mask) { modeIndex($0, allowed: $1) }
    }

    /// The log-probability of each row's chosen `actions` (`[batch, 1]` indices this type produced).
    static func logProbs(of actions: Tensor, in logProbabilities: Tensor) -> [Float] {
        let n = logProbabilities.shape[1]
        let logs = logProbabilities.scalars
        return actions.scalars.enumerated().map { row, action in logs[row * n + Int(action)] }
    }

    /// The index at which the cumulative probability of the allowed actions of one row passes one
    /// `random.nextUnit()` draw scaled by their total; -1 when none is allowed.
    static func sampleIndex(
        _ probabilities: UnsafeBufferPointer<Double>, allowed: (Int) -> Bool, using random: inout MazeRandom
    ) -> Int {
        var total: Double = 0
        for (index, probability) in probabilities.enumerated() where allowed(index) { total += probability }
        var threshold = random.nextUnit() * total
        var last = -1
        for (index, probability) in probabilities.enumerated() where allowed(index) && probability > 0 {
            last = index
            threshold -= probability
            if threshold < 0 { return index }
        }
        return last
    }

    /// The most probable allowed index of one row (the first of equals); -1 when none is allowed.
    static func modeIndex(_ probabilities: UnsafeBufferPointer<Double>, allowed: (Int) -> Bool) -> Int {
        var best = -1
        for index in probabilities.indices
        where allowed(index) && (best < 0 || probabilities[index] > probabilities[best]) {
            best = index
        }
        return best
    }

    /// One index per row picked by `pick(probabilities, isAllowed)`; rows without an allowed action fail.
    private static func choose(
        _ logProbabilities: Tensor, _ mask: Mask?, _ pick: (UnsafeBufferPointer<Double>, (Int) -> Bool) -> Int
    ) throws -> Tensor {
        let (batchSize, n) = (logProbabilities.shape[0], logProbabilities.shape[1])
        var chosen = [Float](repeating: 0, count: batchSize)
        let logs = logProbabilities.scalars
        // One buffer for every row: the picks only read it.
        var probabilities = [Double](repeating: 0, count: n)
        for row in 0..<batchSize {
            for column in 0..<n { probabilities[column] = Foundation.exp(Double(logs[row * n + column])) }
            let index = probabilities.withUnsafeBufferPointer { line in
                pick(line) { column in mask.map { $0.elements[row * n + column] } ?? true }
            }
            guard index >= 0 else {
                throw PerceptionError.batchMismatch("row \(row) of the action mask allows no action")
            }
            chosen[row] = Float(index)
        }
        return try Tensor(shape: [batchSize, 1], scalars: chosen)
    }
}
