import MazeCore

/// A structured test environment with two sub-steps: step key 0 picks a slot (masked by
/// `slot_mask`), step key 1 picks a direction; the reward arrives after the second sub-step.
final class TwoStepEnv: StructuredEnv {
    private var subStep = 0
    private var slot = 0
    private var turns = 0
    let events = EventContext()
    /// Slots the mask allows; the others are never valid.
    let allowedSlots: Set<Int> = [1, 3]

    var observationSpaces: [StepKey: DictSpace] {
        [0: ["slot_mask": .multiBinary(4), "turn": .discrete(100)], 1: ["slot": .discrete(4)]]
    }
    var actionSpaces: [StepKey: DictSpace] { [0: ["slot": .discrete(4)], 1: ["direction": .discrete(2)]] }

    private func observation() -> Observation {
        subStep == 0
            ? ["slot_mask": NDArray(ints: (0..<4).map { allowedSlots.contains($0) ? 1 : 0 }), "turn": .scalar(turns)]
            : ["slot": .scalar(slot)]
    }

    func reset() throws -> Observation {
        events.beginEpisode()
        (subStep, slot, turns) = (0, 0, 0)
        return observation()
    }

    func step(_ action: Action) throws -> StepResult {
        var reward = 0.0
        if subStep == 0 {
            slot = try action.require("slot").int(at: 0)
            subStep = 1
        } else {
            reward = allowedSlots.contains(slot) ? Double(try action.require("direction").int(at: 0)) : -2
            subStep = 0
            turns += 1
        }
        events.finishStep()
        return StepResult(observation: observation(), outcome: StepOutcome(reward: reward, terminated: turns >= 3))
    }

    func seed(_ seed: UInt64) {}
    func close() {}
    var actorID: ActorID { ActorID(stepKey: StepKey(subStep), agentID: 0) }
    func isActorDone() -> Bool { false }
    var agentCounts: [StepKey: Int] { [0: 1, 1: 1] }
    func calculateKPIs() -> [String: Double] { [:] }
    func render() -> String? { nil }
}
