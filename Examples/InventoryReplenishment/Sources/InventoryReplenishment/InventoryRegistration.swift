import MazeCore

extension Registries {
    /// Registers the env as `inventory_replenishment` (the `_target_` of `conf/env/inventory_replenishment.yaml`)
    /// and the `reorder_point` heuristic policy.
    public mutating func registerInventoryReplenishment() {
        envs.register("inventory_replenishment", keys: InventoryConfiguration.keys) { arguments in
            try MazeEnv.inventoryReplenishment(try InventoryConfiguration(arguments: arguments))
        }
        policies.register("reorder_point", keys: ["reorder_share"]) { arguments, _ in
            try ReorderPointPolicy(reorderShare: arguments.optionalDouble("reorder_share") ?? 0.5)
        }
    }
}
