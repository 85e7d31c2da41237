import MazeCore

extension Registries {
    /// Registers the env as `inventory_replenishment` (the `_target_` of `conf/env/inventory_replenishment.yaml`)
    /// and the `reorder_point` heuristic policy.
    public mutating func registerInventoryReplenishment() {
        envs.register("inventory_replenishment") { arguments in
            try MazeEnv.inventoryReplenishment(try InventoryConfiguration(arguments: arguments))
        }
        policies.register("reorder_point") { arguments, _ in
            try ReorderPointPolicy(reorderShare: arguments.double("reorder_share") ?? 0.5)
        }
    }
}
