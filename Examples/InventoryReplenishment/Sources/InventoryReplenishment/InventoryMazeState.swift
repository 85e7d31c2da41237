/// What the warehouse looks like between days: stock, orders on their way, and the day.
public struct InventoryMazeState: Sendable, Hashable {
    /// Units in stock, per product.
    public var stock: [Int]
    /// Units arriving in 1, 2, …, lead time days, per product (`onOrder[product][day - 1]`).
    public var onOrder: [[Int]]
    /// Days elapsed in the episode.
    public var day: Int

    /// Units in stock and on order of `product`: what an order adds to and the capacity bounds.
    public func position(_ product: Int) -> Int { stock[product] + onOrder[product].reduce(0, +) }
}

/// One day's decision: order a batch of one product, or nothing.
public struct InventoryMazeAction: Sendable, Hashable {
    /// The product to order a batch of; `nil` orders nothing.
    public var product: Int?

    public init(product: Int?) {
        self.product = product
    }
}
