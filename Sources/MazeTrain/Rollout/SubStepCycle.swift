import MazeCore

/// The fixed order of sub-steps a structured env goes through for one decision (Cutting2D: select a
/// piece, then cut it), with each sub-step's spaces and its place in a flat cycle row.
///
/// A single-step env is the one-element cycle, so everything built on cycles works for both.
public struct SubStepCycle: Sendable, Equatable {
    /// Step keys in the order the env asks for them (ascending).
    public let keys: [StepKey]
    /// Observation space of each sub-step, in cycle order.
    public let observationSpaces: [DictSpace]
    /// Action space of each sub-step, in cycle order.
    public let actionSpaces: [DictSpace]

    /// The cycle of `env`; every sub-step must have exactly one agent.
    public init(_ env: any StructuredEnv) throws(TrainError) {
        let counts = env.agentCounts
        guard !counts.isEmpty, counts.values.allSatisfy({ $0 == 1 }) else {
            throw .unsupported("training needs one agent per sub-step, the env has \(counts)")
        }
        keys = counts.keys.sorted()
        var observations: [DictSpace] = []
        var actions: [DictSpace] = []
        for key in keys {
            guard let observation = env.observationSpaces[key], let action = env.actionSpaces[key] else {
                throw .unsupported("sub-step \(key) has no observation or action space")
            }
            observations.append(observation)
            actions.append(action)
        }
        observationSpaces = observations
        actionSpaces = actions
    }

    /// Floats per cycle observation row: the sub-steps' rows side by side.
    public var observationWidth: Int { observationSpaces.reduce(0) { $0 + $1.flatCount } }
    /// Floats per cycle action row.
    public var actionWidth: Int { actionSpaces.reduce(0) { $0 + $1.flatCount } }
    /// Where each sub-step's observation starts within a cycle row.
    public var observationOffsets: [Int] { Self.offsets(observationSpaces) }
    /// Where each sub-step's action starts within a cycle row.
    public var actionOffsets: [Int] { Self.offsets(actionSpaces) }

    /// The running sum of the widths before each space.
    private static func offsets(_ spaces: [DictSpace]) -> [Int] {
        spaces.indices.map { index in spaces[..<index].reduce(0) { $0 + $1.flatCount } }
    }
}
