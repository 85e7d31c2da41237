import MazeCore

/// A best-fit heuristic for the cutting problem: cut the order from the smallest inventory piece it fits
/// into (turned if only that fits), so raw pieces are opened only when no remainder will do.
///
/// It reads only observations, so it works for the flat env (one step) and the structured envs
/// (selection on step key 0, rotation on step key 1, told apart by the `selected_piece` entry).
final class Cutting2DGreedyPolicy: Policy {
    init() {}

    /// The heuristic has no randomness.
    func seed(_ seed: UInt64) {}

    func computeAction(
        observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?
    ) throws -> Action {
        let order = try Self.pieces(observation.require("ordered_piece"), name: "ordered_piece")[0]
        if let selected = observation["selected_piece"] {
            let piece = try Self.pieces(selected, name: "selected_piece")[0]
            return ["cut_rotation": .scalar(Self.rotation(for: order, in: piece)), "cut_order": .scalar(0)]
        }
        let slots = try Self.pieces(observation.require("inventory"), name: "inventory")
        let fitting = slots.indices.filter { slots[$0].fits(order) || slots[$0].fits(order.rotated) }
        // With nothing that fits every choice is invalid; slot 0 is as good as any.
        let choice = fitting.min { slots[$0].area < slots[$1].area } ?? 0
        // The cutting keys are read by the flat env and ignored by the structured env's selection step.
        return [
            "piece_idx": .scalar(choice),
            "cut_rotation": .scalar(Self.rotation(for: order, in: slots[choice])),
            "cut_order": .scalar(0),
        ]
    }

    private static func rotation(for order: Cutting2DPiece, in piece: Cutting2DPiece) -> Int {
        piece.fits(order) ? 0 : 1
    }

    /// The pieces stored as consecutive (x, y) pairs in a float observation entry.
    private static func pieces(_ array: NDArray, name: String) throws -> [Cutting2DPiece] {
        let sizes = array.floats
        guard sizes.count >= 2, sizes.count % 2 == 0, sizes.allSatisfy({ $0.isFinite && abs($0) < 0x1p31 }) else {
            throw MazeError.invalidValue("'\(name)' must hold finite (x, y) sizes, got \(sizes.count) values")
        }
        return stride(from: 0, to: sizes.count, by: 2).map { Cutting2DPiece(Int(sizes[$0]), Int(sizes[$0 + 1])) }
    }
}
