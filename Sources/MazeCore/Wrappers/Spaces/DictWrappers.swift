/// Exposes the env's only observation entry under `name` (Maze's DictObservationWrapper; with the
/// default `"observation"` it is also NoDictObservationWrapper's Gym-style single observation).
final class DictObservationWrapper: ObservationTransformingWrapper {
    let inner: any StructuredEnv
    private let renaming: SoleEntryRenaming

    init(_ env: any StructuredEnv, name: String = "observation") throws(MazeError) {
        inner = env
        renaming = try SoleEntryRenaming(env.observationSpaces, to: name, kind: "observation")
    }

    var observationSpaces: [StepKey: DictSpace] { renaming.renamed(inner.observationSpaces) }

    func transformObservation(_ observation: Observation) throws -> Observation {
        renaming.rename(observation, from: renaming.sourceName, to: renaming.targetName)
    }
}

/// Exposes the env's only action entry under `name` (Maze's DictActionWrapper; with the default
/// `"action"` it is also NoDictActionWrapper's Gym-style single action).
final class DictActionWrapper: ActionTransformingWrapper {
    let inner: any StructuredEnv
    private let renaming: SoleEntryRenaming

    init(_ env: any StructuredEnv, name: String = "action") throws(MazeError) {
        inner = env
        renaming = try SoleEntryRenaming(env.actionSpaces, to: name, kind: "action")
    }

    var actionSpaces: [StepKey: DictSpace] { renaming.renamed(inner.actionSpaces) }

    func transformAction(_ action: Action) throws -> Action {
        renaming.rename(action, from: renaming.targetName, to: renaming.sourceName)
    }
}
