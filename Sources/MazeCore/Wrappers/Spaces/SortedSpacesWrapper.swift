/// Orders every observation and action space (and the observations) alphabetically by key, so models
/// and flat buffers see a layout independent of how the env declared it (Maze's SortedSpacesWrapper).
public final class SortedSpacesWrapper: ObservationTransformingWrapper {
    public let inner: any StructuredEnv

    public init(_ env: any StructuredEnv) { inner = env }

    public var observationSpaces: [StepKey: DictSpace] { inner.observationSpaces.mapValues(Self.sorted) }
    public var actionSpaces: [StepKey: DictSpace] { inner.actionSpaces.mapValues(Self.sorted) }

    private static func sorted(_ space: DictSpace) -> DictSpace {
        DictSpace(space.sorted { $0.key < $1.key }.map { ($0.key, $0.space) })
    }

    public func transformObservation(_ observation: Observation) throws -> Observation {
        NamedArrays(observation.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
