import MazeCore

/// The warehouse simulation (Maze's core env): it steps on ``InventoryMazeAction``s, produces
/// ``InventoryMazeState``s, and knows nothing of observation or action spaces.
///
/// A day: the orders due today arrive; the day's order (if any, and if within capacity) is placed and arrives
/// `leadTime` days later; each product's demand, uniform on `0...2 × mean`, is served from stock and the rest is
/// lost. The reward is minus the day's costs: holding, lost sales and orders. An episode is `horizon` days.
public final class InventoryCoreEnv: CoreEnv {
    public let configuration: InventoryConfiguration
    public let events = EventContext()
    public private(set) var mazeState: InventoryMazeState
    private var random: MazeRandom

    public init(_ configuration: InventoryConfiguration, seed: UInt64 = 0) {
        self.configuration = configuration
        random = MazeRandom(seed: seed)
        mazeState = Self.initialState(configuration)
    }

    private static func initialState(_ configuration: InventoryConfiguration) -> InventoryMazeState {
        let products = configuration.productCount
        return InventoryMazeState(
            stock: Array(repeating: configuration.initialStock, count: products),
            onOrder: Array(repeating: Array(repeating: 0, count: configuration.leadTime), count: products), day: 0)
    }

    public func reset() -> InventoryMazeState {
        mazeState = Self.initialState(configuration)
        return mazeState
    }

    /// Whether ordering a batch of `product` keeps its stock and orders within the capacity.
    public func canOrder(_ product: Int) -> Bool {
        mazeState.position(product) + configuration.batchSize <= configuration.capacity
    }

    public func step(_ action: InventoryMazeAction) -> CoreStepResult<InventoryMazeState> {
        var state = mazeState
        for product in 0..<configuration.productCount {
            let arriving = state.onOrder[product].removeFirst()
            state.onOrder[product].append(0)
            state.stock[product] += arriving
            if arriving > 0 { events.record(InventoryEvents.delivery, attributes: ["product": Double(product)]) }
        }
        mazeState = state
        var cost = 0.0
        if let product = action.product {
            if configuration.demandMeans.indices.contains(product), canOrder(product) {
                state.onOrder[product][configuration.leadTime - 1] += configuration.batchSize
                cost += configuration.orderCost
                events.record(InventoryEvents.orderPlaced, attributes: ["product": Double(product)])
            } else {
                events.record(InventoryEvents.orderRefused, attributes: ["product": Double(product)])
            }
        }
        for (product, mean) in configuration.demandMeans.enumerated() {
            let demanded = random.nextInt(below: Int((2 * mean).rounded()) + 1)
            let served = min(demanded, state.stock[product])
            state.stock[product] -= served
            cost += configuration.lostSalePenalty * Double(demanded - served)
            events.record(
                InventoryEvents.lostSales,
                attributes: [
                    "product": Double(product), "demanded": Double(demanded), "served": Double(served),
                    "lost": Double(demanded - served),
                ])
        }
        let stock = state.stock.reduce(0, +)
        cost += configuration.holdingCost * Double(stock)
        events.record(InventoryEvents.stockLevel, attributes: ["value": Double(stock)])
        state.day += 1
        mazeState = state
        return CoreStepResult(state: state, reward: -cost, done: state.day >= configuration.horizon, info: [:])
    }

    /// Seeds the demand (from the next reset on, as Maze's seeding does).
    public func seed(_ seed: UInt64) {
        random = MazeRandom(seed: seed)
    }

    /// `fill_rate`: the share of the episode's demand served from stock; `orders_per_day`.
    public func calculateKPIs() -> [String: Double] {
        let days = events.steps.count
        guard days > 0 else { return [:] }
        let demand = events.query(InventoryEvents.lostSales)
        let demanded = demand.reduce(0) { $0 + ($1.attributes["demanded"] ?? 0) }
        let served = demand.reduce(0) { $0 + ($1.attributes["served"] ?? 0) }
        return [
            "fill_rate": demanded > 0 ? served / demanded : 1,
            "orders_per_day": Double(events.query(InventoryEvents.orderPlaced).count) / Double(days),
        ]
    }

    public func render(action: InventoryMazeAction?) -> String? {
        let order = action?.product.map { "ordered product \($0)" } ?? "no order"
        return "day \(mazeState.day): stock \(mazeState.stock), on order \(mazeState.onOrder), \(order)"
    }
}
