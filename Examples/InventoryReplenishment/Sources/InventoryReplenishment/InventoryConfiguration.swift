import MazeCore

/// The parameters of the inventory replenishment problem, as `conf/env/inventory_replenishment.yaml` gives them.
///
/// A warehouse stocks `demandMeans.count` products. Every day it may order one batch of one product, which arrives
/// `leadTime` days later; then the day's customer demand is served from stock, and what cannot be served is lost.
public struct InventoryConfiguration: Sendable, Hashable {
    /// Mean daily demand per product (units); daily demand is uniform on `0...2 × mean`.
    public var demandMeans: [Double]
    /// Most units of one product in stock and on order together; orders beyond it are masked.
    public var capacity: Int
    /// Units per order.
    public var batchSize: Int
    /// Days from ordering to delivery.
    public var leadTime: Int
    /// Days per episode.
    public var horizon: Int
    /// Units of each product in stock at the start of an episode.
    public var initialStock: Int
    /// Cost per unit in stock per day.
    public var holdingCost: Double
    /// Cost per unit of demand that could not be served.
    public var lostSalePenalty: Double
    /// Fixed cost per order.
    public var orderCost: Double

    /// Checks the parameters, so that a bad config fails when the env is built rather than mid-episode.
    public init(
        demandMeans: [Double], capacity: Int, batchSize: Int, leadTime: Int, horizon: Int, initialStock: Int,
        holdingCost: Double, lostSalePenalty: Double, orderCost: Double
    ) throws(MazeError) {
        guard !demandMeans.isEmpty, demandMeans.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw .invalidConfiguration("demand_means needs at least one non-negative mean, got \(demandMeans)")
        }
        guard batchSize >= 1, capacity >= batchSize else {
            throw .invalidConfiguration(
                "batch_size must be at least 1 and at most capacity, got \(batchSize) and \(capacity)")
        }
        guard leadTime >= 1, horizon >= 1 else {
            throw .invalidConfiguration("lead_time and horizon must be at least 1, got \(leadTime) and \(horizon)")
        }
        guard (0...capacity).contains(initialStock) else {
            throw .invalidConfiguration(
                "initial_stock must be between 0 and capacity (\(capacity)), got \(initialStock)")
        }
        guard [holdingCost, lostSalePenalty, orderCost].allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw .invalidConfiguration("holding_cost, lost_sale_penalty and order_cost must be non-negative numbers")
        }
        self.demandMeans = demandMeans
        self.capacity = capacity
        self.batchSize = batchSize
        self.leadTime = leadTime
        self.horizon = horizon
        self.initialStock = initialStock
        self.holdingCost = holdingCost
        self.lostSalePenalty = lostSalePenalty
        self.orderCost = orderCost
    }

    /// The number of products.
    public var productCount: Int { demandMeans.count }

    /// The parameter names of the env config, as written in YAML; the registration refuses any other key.
    public static let keys: Set<String> = [
        "demand_means", "capacity", "batch_size", "lead_time", "horizon", "initial_stock", "holding_cost",
        "lost_sale_penalty", "order_cost",
    ]

    /// Reads the env config; every key is required (``keys`` lists them).
    public init(arguments: ConfigSection) throws {
        try self.init(
            demandMeans: arguments.doubles("demand_means"), capacity: arguments.int("capacity"),
            batchSize: arguments.int("batch_size"), leadTime: arguments.int("lead_time"),
            horizon: arguments.int("horizon"),
            initialStock: arguments.int("initial_stock"), holdingCost: arguments.double("holding_cost"),
            lostSalePenalty: arguments.double("lost_sale_penalty"), orderCost: arguments.double("order_cost"))
    }
}
