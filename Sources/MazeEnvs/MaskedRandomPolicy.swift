import MazeCore

/// Samples every action entry uniformly, restricted for Discrete entries to the choices their mask
/// observation allows (Maze's action masking: a mask entry of 0 forbids the choice).
///
/// `maskKeys` maps an action key to the observation key holding its mask, e.g. the masked cutting
/// env's `["piece_idx": "inventory_mask", "cut_rotation": "cutting_mask"]`. An all-zero mask leaves no
/// valid choice; the policy then samples from the whole space rather than fail mid-rollout.
public final class MaskedRandomPolicy: Policy {
    private let actionSpaces: [StepKey: DictSpace]
    private let maskKeys: [String: String]
    private var random: MazeRandom

    public init(actionSpaces: [StepKey: DictSpace], maskKeys: [String: String], seed: UInt64 = 0) {
        self.actionSpaces = actionSpaces
        self.maskKeys = maskKeys
        random = MazeRandom(seed: seed)
    }

    public func seed(_ seed: UInt64) {
        random = MazeRandom(seed: seed)
    }

    public func computeAction(
        observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?
    ) throws -> Action {
        guard let space = actionSpaces[actorID.stepKey] else {
            throw MazeError.invalidState("no action space for step key \(actorID.stepKey)")
        }
        var action = space.sample(using: &random)
        for (key, entry) in space {
            guard case .discrete(let count) = entry, let maskKey = maskKeys[key], let mask = observation[maskKey] else {
                continue
            }
            let allowed = (0..<min(count, mask.count)).filter { mask.float(at: $0) > 0 }
            if !allowed.isEmpty {
                action[key] = .scalar(allowed[random.nextInt(below: allowed.count)])
            }
        }
        return action
    }
}
