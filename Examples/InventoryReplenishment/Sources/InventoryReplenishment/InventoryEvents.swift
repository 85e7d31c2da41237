import MazeCore

/// The events of the warehouse simulation, reported per step and aggregated into episode and epoch statistics
/// (as Maze's `define_episode_stats` / `define_epoch_stats` do).
public enum InventoryEvents {
    /// A batch was ordered (attribute `product`).
    public static let orderPlaced = EventDescriptor(topic: "InventoryEvents", name: "order_placed")
    /// The chosen order would exceed the capacity and was not placed (a policy that honours the mask never does).
    public static let orderRefused = EventDescriptor(topic: "InventoryEvents", name: "order_refused")
    /// A batch arrived (attribute `product`).
    public static let delivery = EventDescriptor(topic: "InventoryEvents", name: "delivery")
    /// A product's demand of the day: `demanded`, `served` and `lost` units (attribute `product`); its statistic is
    /// the units lost per episode.
    public static let lostSales = EventDescriptor(
        topic: "InventoryEvents", name: "lost_sales",
        statistics: EventStatistics(
            step: .reduce(.sum, attribute: "lost"),
            episode: [EventStatistics.Reduction(.sum, output: "episode_total")],
            epoch: [EventStatistics.Reduction(.mean, input: "episode_total", output: "mean_episode_total")]))
    /// Units in stock over all products at the end of each day.
    public static let stockLevel = EventDescriptor(
        topic: "InventoryEvents", name: "stock_level",
        statistics: EventStatistics(
            step: .value(attribute: "value"),
            episode: [EventStatistics.Reduction(.mean, output: "step_mean")],
            epoch: [EventStatistics.Reduction(.mean, input: "step_mean", output: "step_mean")]))
}
