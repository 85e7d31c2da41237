import MazeCore
import MazeService

extension BatchSchema {
    /// This schema with the columns of `actionSpace`'s Box entries in the flat action tensor bounded by the Box's
    /// `low` and `high`: for a policy whose actions never leave them (SAC's tanh-squashed Gaussian), so that a batch
    /// whose actions do is rejected as `invalid_action` instead of teaching the critics actions it cannot take.
    func boundingBoxActions(of actionSpace: DictSpace) -> BatchSchema {
        let name = ActorCriticActingPolicy.actionKey
        guard var columns = actionColumns[name] else { return self }
        var column = 0
        for space in actionSpace.spaces {
            let count = space.elementCount
            if case .box(let box) = space, box.low.count == count, box.high.count == count,
                column + count <= columns.count
            {
                for element in 0..<count {
                    columns[column + element] = .bounded(low: Float(box.low[element]), high: Float(box.high[element]))
                }
            }
            column += count
        }
        var schema = self
        schema.actionColumns[name] = columns
        return schema
    }
}
