import MazeCore

/// A textbook heuristic to compare trained policies with (`policy._target_=reorder_point`): order the allowed
/// product whose stock and orders are the smallest share of the capacity, when that share is below `reorderShare`.
public final class ReorderPointPolicy: Policy {
    public let reorderShare: Float

    public init(reorderShare: Double) throws(MazeError) {
        guard (0...1).contains(reorderShare) else {
            throw .invalidConfiguration("reorder_share must be between 0 and 1, got \(reorderShare)")
        }
        self.reorderShare = Float(reorderShare)
    }

    /// Deterministic: nothing to seed.
    public func seed(_ seed: UInt64) {}

    public func computeAction(
        observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?
    ) throws -> Action {
        let (stock, onOrder, mask) = (
            try observation.require("stock"), try observation.require("on_order"), try observation.require("order_mask")
        )
        var choice = 0
        var lowest = reorderShare
        for product in 0..<stock.count where mask.float(at: product + 1) > 0 {
            let position = stock.float(at: product) + onOrder.float(at: product)
            if position < lowest { (choice, lowest) = (product + 1, position) }
        }
        return ["order": .scalar(choice)]
    }
}
