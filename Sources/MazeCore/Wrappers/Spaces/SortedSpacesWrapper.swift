/// Orders every observation and action space (and the observations) alphabetically by key, so models
/// and flat buffers see a layout independent of how the env declared it (Maze's SortedSpacesWrapper).
final class SortedSpacesWrapper: ObservationTransformingWrapper {
    let inner: any StructuredEnv

    init(_ env: any StructuredEnv) { inner = env }

    var observationSpaces: [StepKey: DictSpace] { inner.observationSpaces.mapValues(Self.sorted) }
    var actionSpaces: [StepKey: DictSpace] { inner.actionSpaces.mapValues(Self.sorted) }

    private static func sorted(_ space: DictSpace) -> DictSpace {
        DictSpace(space.sorted { $0.key < $1.key }.map { ($0.key, $0.space) })
    }

    func transformObservation(_ observation: Observation) throws -> Observation {
        NamedArrays(observation.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
