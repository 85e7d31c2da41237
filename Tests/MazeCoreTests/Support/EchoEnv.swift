import MazeCore

/// A single-step test environment with given spaces: it returns a fixed observation and remembers the
/// last action it received, so wrapper tests can see exactly what reaches the inner env.
final class EchoEnv: StructuredEnv {
    let observationSpace0: DictSpace
    let actionSpace0: DictSpace
    let fixedObservation: Observation
    private(set) var lastAction: Action?
    let events = EventContext()

    init(observationSpace: DictSpace, actionSpace: DictSpace, observation: Observation) {
        observationSpace0 = observationSpace
        actionSpace0 = actionSpace
        fixedObservation = observation
    }

    var observationSpaces: [StepKey: DictSpace] { [0: observationSpace0] }
    var actionSpaces: [StepKey: DictSpace] { [0: actionSpace0] }
    func reset() throws -> Observation { fixedObservation }
    func step(_ action: Action) throws -> StepResult {
        lastAction = action
        return StepResult(observation: fixedObservation, outcome: StepOutcome(reward: 1, terminated: false))
    }
    func seed(_ seed: UInt64) {}
    func close() {}
    var actorID: ActorID { .single }
    func isActorDone() -> Bool { false }
    var agentCounts: [StepKey: Int] { [0: 1] }
    func calculateKPIs() -> [String: Double] { [:] }
    func render() -> String? { nil }
}
