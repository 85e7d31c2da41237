/// A wrapper that rewrites observations: conformers give the new ``observationSpaces`` and
/// ``transformObservation(_:)``; stepping and resetting apply it (the buffer path goes through the
/// dictionary path, so it stays correct).
public protocol ObservationTransformingWrapper: Wrapper {
    /// The observation to report for the inner env's `observation`.
    func transformObservation(_ observation: Observation) throws -> Observation
}

extension ObservationTransformingWrapper {
    public func reset() throws -> Observation { try transformObservation(inner.reset()) }

    public func step(_ action: Action) throws -> StepResult {
        var result = try inner.step(action)
        result.observation = try transformObservation(result.observation)
        return result
    }
}

/// A wrapper that rewrites actions: conformers give the new ``actionSpaces`` and
/// ``transformAction(_:)`` from their action to the inner env's.
protocol ActionTransformingWrapper: Wrapper {
    /// The inner env's action for this wrapper's `action`.
    func transformAction(_ action: Action) throws -> Action
}

extension ActionTransformingWrapper {
    public func step(_ action: Action) throws -> StepResult { try inner.step(transformAction(action)) }
}

/// Renames the sole entry of every observation or action space (Maze's Dict/NoDict wrappers: our
/// spaces are always dictionaries, so "no dict" is the single entry under the Gym name).
struct SoleEntryRenaming {
    let sourceName: String
    let targetName: String

    init(_ spaces: [StepKey: DictSpace], to targetName: String, kind: String) throws(MazeError) {
        let names = Set(spaces.values.flatMap(\.keys))
        guard names.count == 1, let name = names.first, spaces.values.allSatisfy({ $0.count == 1 }) else {
            throw .invalidConfiguration("the \(kind) spaces need exactly one entry to rename, found \(names.sorted())")
        }
        sourceName = name
        self.targetName = targetName
    }

    /// The spaces with the entry under its new name.
    func renamed(_ spaces: [StepKey: DictSpace]) -> [StepKey: DictSpace] {
        spaces.mapValues { space in DictSpace(space.map { ($0.key == sourceName ? targetName : $0.key, $0.space) }) }
    }

    /// `value` with the entry named `from` renamed to `to`.
    func rename(_ value: NamedArrays, from: String, to: String) -> NamedArrays {
        NamedArrays(value.map { ($0.key == from ? to : $0.key, $0.value) })
    }
}
