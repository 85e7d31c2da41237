/// Exposes the env's only observation entry under `name` (Maze's DictObservationWrapper; with the
/// default `"observation"` it is also NoDictObservationWrapper's Gym-style single observation).
public final class DictObservationWrapper: ObservationTransformingWrapper {
    public let inner: any StructuredEnv
    private let sourceName: String
    private let renaming: SoleEntryRenaming

    public init(_ env: any StructuredEnv, name: String = "observation") throws(MazeError) {
        inner = env
        renaming = SoleEntryRenaming(targetName: name)
        sourceName = try renaming.sourceName(in: env.observationSpaces, kind: "observation")
    }

    public var observationSpaces: [StepKey: DictSpace] {
        renaming.rename(inner.observationSpaces, from: sourceName, to: renaming.targetName)
    }

    public func transformObservation(_ observation: Observation) throws -> Observation {
        renaming.rename(observation, from: sourceName, to: renaming.targetName)
    }
}

/// Exposes the env's only action entry under `name` (Maze's DictActionWrapper; with the default
/// `"action"` it is also NoDictActionWrapper's Gym-style single action).
public final class DictActionWrapper: ActionTransformingWrapper {
    public let inner: any StructuredEnv
    private let sourceName: String
    private let renaming: SoleEntryRenaming

    public init(_ env: any StructuredEnv, name: String = "action") throws(MazeError) {
        inner = env
        renaming = SoleEntryRenaming(targetName: name)
        sourceName = try renaming.sourceName(in: env.actionSpaces, kind: "action")
    }

    public var actionSpaces: [StepKey: DictSpace] {
        renaming.rename(inner.actionSpaces, from: sourceName, to: renaming.targetName)
    }

    public func transformAction(_ action: Action) throws -> Action {
        renaming.rename(action, from: renaming.targetName, to: sourceName)
    }
}
