import MazeCore

/// The observation: `stock` and `on_order` per product as shares of the capacity, `days_left` as a share of the
/// horizon, and `order_mask` (1 = allowed) for the `order` action: named `<action>_mask`, it masks that action's
/// choices in the policy, so a trained or random masked policy never orders beyond the capacity.
public struct InventoryObservationConversion: ObservationConversion {
    public let space: DictSpace
    private let configuration: InventoryConfiguration

    public init(_ configuration: InventoryConfiguration) throws(MazeError) {
        self.configuration = configuration
        let products = configuration.productCount
        space = [
            "stock": .box(try BoxSpace(low: 0, high: 1, shape: [products])),
            "on_order": .box(try BoxSpace(low: 0, high: 1, shape: [products])),
            "days_left": .box(try BoxSpace(low: 0, high: 1, shape: [1])),
            "order_mask": .box(try BoxSpace(low: 0, high: 1, shape: [products + 1])),
        ]
    }

    public func observation(from state: InventoryMazeState) -> Observation {
        let capacity = Float(configuration.capacity)
        let products = 0..<configuration.productCount
        let allowed = products.map { state.position($0) + configuration.batchSize <= configuration.capacity }
        return [
            "stock": NDArray(floats: products.map { Float(state.stock[$0]) / capacity }),
            "on_order": NDArray(floats: products.map { Float(state.onOrder[$0].reduce(0, +)) / capacity }),
            "days_left": NDArray(floats: [Float(configuration.horizon - state.day) / Float(configuration.horizon)]),
            "order_mask": NDArray(floats: [1] + allowed.map { $0 ? 1 : 0 }),
        ]
    }
}

/// The action: `order`, Discrete(products + 1): 0 orders nothing, `i` a batch of product `i - 1`.
public struct InventoryActionConversion: ActionConversion {
    public let space: DictSpace

    public init(_ configuration: InventoryConfiguration) {
        space = ["order": .discrete(configuration.productCount + 1)]
    }

    public func mazeAction(from action: Action, state: InventoryMazeState) throws -> InventoryMazeAction {
        let choice = try action.require("order")
        guard choice.count >= 1, !(choice.dtype == .float32 && !choice.float(at: 0).isFinite) else {
            throw MazeError.invalidValue("'order' must be a finite integer choice")
        }
        let index = choice.int(at: 0)
        return InventoryMazeAction(product: index > 0 ? index - 1 : nil)
    }

    public func action(from mazeAction: InventoryMazeAction) -> Action {
        ["order": .scalar(mazeAction.product.map { $0 + 1 } ?? 0)]
    }
}

extension MazeEnv where Core == InventoryCoreEnv {
    /// The inventory replenishment env: the core env behind its observation and action conversions.
    public static func inventoryReplenishment(_ configuration: InventoryConfiguration) throws(MazeError)
        -> MazeEnv<InventoryCoreEnv>
    {
        MazeEnv(
            core: InventoryCoreEnv(configuration),
            observationConversion: try InventoryObservationConversion(configuration),
            actionConversion: InventoryActionConversion(configuration))
    }
}
