import MazeCore
import MazePerception
import MazeTensor

/// MazePerception's composed model trains through the flat-row surface: single-step models directly,
/// structured ones with a cycle row split into its sub-steps' columns.
extension ActorCriticModel: ActorCritic {
    public func evaluateDecisions(observations: Tensor, actions: Tensor, parameters: BoundParameters) throws
        -> ActionEvaluation
    {
        var total: (logProbs: Variable, entropies: Variable, values: Variable)?
        var observationOffset = 0
        var actionOffset = 0
        for step in stepKeys {
            let policy = try policy(step: step)
            let evaluation = try evaluate(
                step: step,
                observations: observations.columns(observationOffset..<observationOffset + policy.observationWidth),
                actions: actions.columns(actionOffset..<actionOffset + policy.actionWidth), parameters: parameters)
            observationOffset += policy.observationWidth
            actionOffset += policy.actionWidth
            if let sum = total {
                total = (try sum.logProbs + evaluation.logProbs, try sum.entropies + evaluation.entropies, sum.values)
            } else {
                total = (evaluation.logProbs, evaluation.entropies, evaluation.values)
            }
        }
        guard let total, observationOffset == observations.shape.last, actionOffset == actions.shape.last else {
            throw TrainError.shapeMismatch(
                "decision rows \(observations.shape) / \(actions.shape) do not fit the model's sub-steps "
                    + "(\(observationOffset) observation and \(actionOffset) action columns)")
        }
        return ActionEvaluation(logProbs: total.logProbs, entropies: total.entropies, values: total.values)
    }

    public func act(subStep: Int, observations: Tensor, deterministic: Bool, random: inout MazeRandom) throws
        -> (actions: [Float], logProbs: [Float])
    {
        guard stepKeys.indices.contains(subStep) else {
            throw TrainError.shapeMismatch("sub-step \(subStep) is outside the model's \(stepKeys.count) sub-steps")
        }
        let decision = try decide(
            step: stepKeys[subStep], observations: observations, deterministic: deterministic, random: &random)
        return (decision.actions.scalars, decision.logProbs)
    }

    public func stateValues(observations: Tensor, tape: Tape) throws -> [Float] {
        let first = try policy(step: stepKeys[0]).observationWidth
        let rows = observations.shape.last == first ? observations : try observations.columns(0..<first)
        defer { tape.reset() }
        let values = try values(step: stepKeys[0], observations: rows, parameters: tape.bindConstants(parameters))
        // A copy: the tape's buffer goes back to its pool, where a shared one would be copied on its next write.
        return values.value.withUnsafeScalars { Array($0) }
    }
}

extension Tensor {
    /// Columns `range` of a `[rows, columns]` tensor, as a new `[rows, range.count]` tensor.
    func columns(_ range: Range<Int>) throws -> Tensor {
        guard rank == 2, range.lowerBound >= 0, range.upperBound <= shape[1] else {
            throw TrainError.shapeMismatch("columns \(range) of a tensor of shape \(shape)")
        }
        if range == 0..<shape[1] { return self }
        let (rows, width) = (shape[0], shape[1])
        var scalars: [Float] = []
        scalars.reserveCapacity(rows * range.count)
        withUnsafeScalars { source in
            for row in 0..<rows { scalars += source[row * width + range.lowerBound..<row * width + range.upperBound] }
        }
        return try Tensor(shape: [rows, range.count], scalars: scalars)
    }
}
