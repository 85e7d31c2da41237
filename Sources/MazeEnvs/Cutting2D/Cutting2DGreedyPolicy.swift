import MazeCore

/// A best-fit heuristic for the cutting problem: cut the order from the smallest inventory piece it fits
/// into (turned if only that fits), so raw pieces are opened only when no remainder will do.
///
/// It reads only observations, so it works for the flat env (one step) and the structured envs
/// (selection on step key 0, rotation on step key 1, told apart by the `selected_piece` entry).
public final class Cutting2DGreedyPolicy: Policy {
    public init() {}

    /// The heuristic has no randomness.
    public func seed(_ seed: UInt64) {}

    public func computeAction(
        observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?
    ) throws -> Action {
        let order = try Self.piece(observation.require("ordered_piece"), at: 0)
        if let selected = observation["selected_piece"] {
            return ["cut_rotation": .scalar(Self.rotation(for: order, in: try Self.piece(selected, at: 0))), "cut_order": .scalar(0)]
        }
        let inventory = try observation.require("inventory")
        let slots = (0..<inventory.count / 2).map { Cutting2DPiece(inventory.int(at: 2 * $0), inventory.int(at: 2 * $0 + 1)) }
        let fitting = slots.indices.filter { slots[$0].fits(order) || slots[$0].fits(order.rotated) }
        // With nothing that fits every choice is invalid; slot 0 is as good as any.
        let choice = fitting.min { slots[$0].area < slots[$1].area } ?? 0
        // The cutting keys are read by the flat env and ignored by the structured env's selection step.
        return [
            "piece_idx": .scalar(choice),
            "cut_rotation": .scalar(slots.isEmpty ? 0 : Self.rotation(for: order, in: slots[choice])),
            "cut_order": .scalar(0),
        ]
    }

    private static func rotation(for order: Cutting2DPiece, in piece: Cutting2DPiece) -> Int {
        piece.fits(order) ? 0 : 1
    }

    private static func piece(_ array: NDArray, at offset: Int) throws -> Cutting2DPiece {
        guard array.count >= offset + 2 else {
            throw MazeError.invalidValue("a piece needs two sizes, the observation entry has \(array.count) values")
        }
        return Cutting2DPiece(array.int(at: offset), array.int(at: offset + 1))
    }
}
