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
public protocol ActionTransformingWrapper: Wrapper {
    /// The inner env's action for this wrapper's `action`.
    func transformAction(_ action: Action) throws -> Action
}

extension ActionTransformingWrapper {
    public func step(_ action: Action) throws -> StepResult { try inner.step(transformAction(action)) }
}

/// Renames the sole entry of every observation or action space (Maze's Dict/NoDict wrappers: our
/// spaces are always dictionaries, so "no dict" is the single entry under the Gym name).
final class SoleEntryRenaming {
    let targetName: String

    init(targetName: String) { self.targetName = targetName }

    func sourceName(in spaces: [StepKey: DictSpace], kind: String) throws(MazeError) -> String {
        let names = Set(spaces.values.flatMap(\.keys))
        guard names.count == 1, let name = names.first, spaces.values.allSatisfy({ $0.count == 1 }) else {
            throw .invalidConfiguration("the \(kind) spaces need exactly one entry to rename, found \(names.sorted())")
        }
        return name
    }

    func rename(_ spaces: [StepKey: DictSpace], from source: String, to target: String) -> [StepKey: DictSpace] {
        spaces.mapValues { space in DictSpace(space.map { ($0.key == source ? target : $0.key, $0.space) }) }
    }

    func rename(_ value: NamedArrays, from source: String, to target: String) -> NamedArrays {
        NamedArrays(value.map { ($0.key == source ? target : $0.key, $0.value) })
    }
}
