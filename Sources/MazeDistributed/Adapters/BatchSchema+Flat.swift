import MazeCore
import MazeService

extension BatchSchema {
    /// The schema of the service's own actors (`ActorCriticActingPolicy`): one flat observation tensor of the
    /// observation space's row layout (plus the optional `final_observation`), one flat action tensor whose
    /// columns follow the action space, Discrete masks taken from observation entries named `<action>_mask` or
    /// listed in `masks` (observation key → action key).
    public static func flat(
        steps: Int, observationSpace: DictSpace, actionSpace: DictSpace, masks: [String: String] = [:]
    ) -> BatchSchema {
        let observation = Feature(dtype: .float32, shape: [observationSpace.flatCount])
        return BatchSchema(
            steps: steps, observations: [ActorCriticActingPolicy.observationKey: observation],
            optionalObservations: [ActorCriticActingPolicy.finalObservationKey: observation],
            actions: [ActorCriticActingPolicy.actionKey: Feature(dtype: .float32, shape: [actionSpace.flatCount])],
            actionColumns: [
                ActorCriticActingPolicy.actionKey: columns(
                    of: actionSpace, maskedBy: observationSpace, in: ActorCriticActingPolicy.observationKey,
                    masks: masks)
            ])
    }

    /// The columns of a flat action row of `actionSpace`, whose Discrete masks are entries of `observationSpace`
    /// (flat in tensor `maskTensor`) named `<action>_mask` or listed in `masks` (observation key → action key).
    static func columns(
        of actionSpace: DictSpace, maskedBy observationSpace: DictSpace, in maskTensor: String, masks: [String: String]
    ) -> [ActionColumn] {
        var maskColumns: [String: Range<Int>] = [:]
        for (key, offset) in zip(observationSpace.keys, observationSpace.flatOffsets) {
            let action = masks[key] ?? (key.hasSuffix("_mask") ? String(key.dropLast("_mask".count)) : nil)
            guard let action, let space = observationSpace[key] else { continue }
            maskColumns[action] = offset..<offset + space.elementCount
        }
        var columns: [ActionColumn] = []
        for (key, space) in zip(actionSpace.keys, actionSpace.spaces) {
            switch space {
            case .discrete(let count):
                let mask = maskColumns[key].flatMap { $0.count == count ? $0 : nil }
                columns.append(.index(count: count, maskTensor: mask == nil ? nil : maskTensor, mask: mask))
            case .multiDiscrete(let counts):
                columns += counts.map { .index(count: $0) }
            case .multiBinary(let count):
                columns += Array(repeating: .binary, count: count)
            case .box:
                columns += Array(repeating: .real, count: space.elementCount)
            }
        }
        return columns
    }
}
