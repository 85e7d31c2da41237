import MazeCore

/// A destination for the reduced statistics of a run (console, TensorBoard, CSV, JSONL, …).
///
/// Trainers and rollout runners hand every epoch's ``LogStats`` to one writer (usually a
/// ``FanOutStatsWriter``) and never need to know where the numbers end up.
public protocol StatsWriter: AnyObject {
    /// Records `stats` as the statistics of `step` (the epoch or update number).
    func write(_ stats: LogStats, step: Int) throws
    /// Makes everything written so far visible to readers of the destination.
    func flush() throws
    /// Flushes and releases the destination; later writes are errors.
    func close() throws
}
