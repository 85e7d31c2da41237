import MazeCore
import MazeTensor

/// Feed-forward models carry no state: they act without it and never see sequences.
extension ActorCritic {
    public var recurrentStateWidth: Int { 0 }

    public func act(
        subStep: Int, observations: Tensor, states: inout [Float], deterministic: Bool, random: inout MazeRandom
    ) throws -> (actions: [Float], logProbs: [Float]) {
        try act(subStep: subStep, observations: observations, deterministic: deterministic, random: &random)
    }

    public func evaluateSequences(_ segment: RecurrentSegment, parameters: BoundParameters) throws -> ActionEvaluation {
        throw TrainError.unsupported("\(type(of: self)) carries no recurrent state, so it does not train on sequences")
    }

    public func sequenceValues(_ segment: RecurrentSegment) throws -> (values: [Float], successorValues: [Float]) {
        throw TrainError.unsupported("\(type(of: self)) carries no recurrent state, so it does not train on sequences")
    }
}
