import MazeCore

/// The cutting problem with two sub-steps per order (the tutorial's `StructuredCutting2DEnvironment`):
/// step key 0 selects the inventory piece (`piece_idx`), step key 1 chooses `cut_rotation` and
/// `cut_order` knowing the selected piece. Reward arrives with the second sub-step.
///
/// With `masked`, the observations carry step-conditional action masks (the tutorial's
/// `MaskedStructuredCutting2DEnvironment`): `inventory_mask` marks the slots whose piece can hold the
/// order in some orientation, `cutting_mask` the rotations (0: as ordered, 1: turned) that fit the
/// selected piece.
final class StructuredCutting2DEnv: Wrapper {
    /// The flat environment that does the cutting.
    let flatEnv: MazeEnv<Cutting2DCoreEnv>
    /// Whether the observations carry action masks.
    let masked: Bool
    let observationSpaces: [StepKey: DictSpace]
    let actionSpaces: [StepKey: DictSpace]
    private var subStep: StepKey = 0
    private var selectedPiece = 0

    var inner: any StructuredEnv { flatEnv }

    init(_ flatEnv: MazeEnv<Cutting2DCoreEnv>, masked: Bool) throws(MazeError) {
        self.flatEnv = flatEnv
        self.masked = masked
        let flatObservation = flatEnv.observationSpace
        let flatAction = flatEnv.actionSpace
        let orderSpace = try flatObservation.require("ordered_piece")
        var selection = flatObservation
        var cutting: DictSpace = ["selected_piece": orderSpace, "ordered_piece": orderSpace]
        if masked {
            let maxPieces = flatEnv.core.configuration.maxPiecesInInventory
            selection["inventory_mask"] = .box(try BoxSpace(low: 0, high: 1, shape: [maxPieces]))
            cutting["cutting_mask"] = .box(try BoxSpace(low: 0, high: 1, shape: [2]))
        }
        observationSpaces = [0: selection, 1: cutting]
        actionSpaces = [
            0: ["piece_idx": try flatAction.require("piece_idx")],
            1: [
                "cut_rotation": try flatAction.require("cut_rotation"),
                "cut_order": try flatAction.require("cut_order"),
            ],
        ]
    }

    /// The masks the masked variant declares, so that models bind them without `model.action_masks`.
    var actionMasks: [String: String] {
        masked ? ["inventory_mask": "piece_idx", "cutting_mask": "cut_rotation"] : [:]
    }

    var actorID: ActorID { ActorID(stepKey: subStep, agentID: 0) }
    var agentCounts: [StepKey: Int] { [0: 1, 1: 1] }

    func reset() throws -> Observation {
        subStep = 0
        return selectionObservation(try flatEnv.reset())
    }

    func step(_ action: Action) throws -> StepResult {
        if subStep == 0 {
            let piece = try action.require("piece_idx").discreteChoice("piece_idx")
            guard (0..<flatEnv.core.configuration.maxPiecesInInventory).contains(piece) else {
                throw MazeError.invalidValue("piece_idx \(piece) is outside the inventory")
            }
            selectedPiece = piece
            subStep = 1
            return StepResult(observation: cuttingObservation(), outcome: StepOutcome(reward: 0, terminated: false))
        }
        let flatAction: Action = [
            "piece_idx": .scalar(selectedPiece),
            "cut_rotation": try action.require("cut_rotation"),
            "cut_order": try action.require("cut_order"),
        ]
        var result = try flatEnv.step(flatAction)
        subStep = 0
        result.observation = selectionObservation(result.observation)
        return result
    }

    /// The flat observation, plus the inventory mask when masked.
    private func selectionObservation(_ flat: Observation) -> Observation {
        guard masked else { return flat }
        var observation = flat
        let state = flatEnv.core.mazeState
        var mask = [Float](repeating: 0, count: state.maxPiecesInInventory)
        for (slot, piece) in state.inventory.prefix(mask.count).enumerated()
        where piece.fits(state.currentDemand) || piece.fits(state.currentDemand.rotated) {
            mask[slot] = 1
        }
        observation["inventory_mask"] = NDArray(floats: mask)
        return observation
    }

    /// The selected piece (zeros for an empty slot) and the order, plus the rotation mask when masked.
    private func cuttingObservation() -> Observation {
        let state = flatEnv.core.mazeState
        let piece =
            state.inventory.indices.contains(selectedPiece) ? state.inventory[selectedPiece] : Cutting2DPiece(0, 0)
        let order = state.currentDemand
        var observation: Observation = [
            "selected_piece": NDArray(floats: [Float(piece.x), Float(piece.y)]),
            "ordered_piece": NDArray(floats: [Float(order.x), Float(order.y)]),
        ]
        if masked {
            observation["cutting_mask"] = NDArray(floats: [
                piece.fits(order) ? 1 : 0, piece.fits(order.rotated) ? 1 : 0,
            ])
        }
        return observation
    }
}
