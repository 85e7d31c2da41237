/// A policy that samples every action entry uniformly from its space, honouring action masks.
///
/// A Discrete entry `name` is masked by the observation entry ``maskKeys``[name] (by default
/// `"<name>_mask"`) when present: only indices whose mask value is non-zero are drawn.
package final class RandomPolicy: Policy {
    private let actionSpaces: [StepKey: DictSpace]
    private let maskKeys: [String: String]
    private var random: MazeRandom

    /// `maskKeys` maps action names to the observation entries holding their masks.
    package init(actionSpaces: [StepKey: DictSpace], maskKeys: [String: String] = [:], seed: UInt64 = 0) {
        self.actionSpaces = actionSpaces
        self.maskKeys = maskKeys
        random = MazeRandom(seed: seed)
    }

    package func seed(_ seed: UInt64) { random = MazeRandom(seed: seed) }

    package func computeAction(
        observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?
    ) throws -> Action {
        guard let space = actionSpaces[actorID.stepKey] else {
            throw MazeError.invalidState("no action space for step key \(actorID.stepKey)")
        }
        var action = Action()
        for (name, subspace) in space {
            if case .discrete(let n) = subspace, let mask = observation[maskKeys[name] ?? "\(name)_mask"] {
                action[name] = .scalar(try sampleMasked(n: n, mask: mask, name: name))
            } else {
                action[name] = subspace.sample(using: &random)
            }
        }
        return action
    }

    private func sampleMasked(n: Int, mask: NDArray, name: String) throws(MazeError) -> Int {
        guard mask.count == n else {
            throw .invalidValue("mask of '\(name)' has \(mask.count) entries, the action has \(n) choices")
        }
        let allowed = (0..<n).filter { mask.float(at: $0) != 0 }
        guard !allowed.isEmpty else { throw .invalidValue("the mask of '\(name)' allows no action") }
        return allowed[random.nextInt(below: allowed.count)]
    }
}
