import Foundation
import MazeCore

/// Writes statistics as TensorBoard scalars (and their distributions, e.g. of each action, as histograms) into `events.out.tfevents.<unix-time>.<hostname>` in a log
/// directory, natively (no TensorFlow), so `tensorboard --logdir outputs/` shows a run while it trains.
///
/// Tags are Maze's: `<prefix>_<event class>/<event method>/<name>`, e.g. `train_BaseEnvEvents/reward/mean`;
/// lists are logged as their mean, and a list's distribution, where kept, as a histogram under the same tag. Each epoch is written straight to the file, so readers see it at once.
public final class TensorBoardWriter: StatsWriter {
    /// The event file being written.
    public let fileURL: URL
    private let file: AppendOnlyFile
    private let clock: @Sendable () -> Double

    /// Creates the log directory if needed and starts a new event file in it.
    ///
    /// - Parameter clock: seconds since 1970 for each event's `wall_time` (replaceable in tests).
    public init(
        logDirectory: URL,
        hostname: String = ProcessInfo.processInfo.hostName,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) throws {
        self.clock = clock
        let now = clock()
        fileURL = Self.unusedFileURL(in: logDirectory, stem: "events.out.tfevents.\(Int(now)).\(hostname)")
        file = try AppendOnlyFile(url: fileURL)
        try file.append(TensorBoardEvent.record(TensorBoardEvent.fileVersion(wallTime: now)))
    }

    public func write(_ stats: LogStats, step: Int) throws {
        let scalars = stats.entries.map { (tag: Self.tag(for: $0.key), value: Float($0.value.scalar)) }
        if !scalars.isEmpty {
            try file.append(TensorBoardEvent.record(TensorBoardEvent.scalars(scalars, step: step, wallTime: clock())))
        }
        let histograms = stats.histograms.filter { $0.values.count > 0 }.map {
            (tag: Self.tag(for: $0.key), values: $0.values)
        }
        if !histograms.isEmpty {
            try file.append(
                TensorBoardEvent.record(TensorBoardEvent.histograms(histograms, step: step, wallTime: clock())))
        }
    }

    /// Logs `text` (e.g. the composed config or the command line) to TensorBoard's TEXT tab under `tag`.
    public func writeText(_ text: String, tag: String, step: Int = 0) throws {
        try file.append(TensorBoardEvent.record(TensorBoardEvent.text(text, tag: tag, step: step, wallTime: clock())))
    }

    public func flush() throws { try file.flush() }

    public func close() throws { try file.close() }

    /// Maze's TensorBoard tag for `key`; empty parts (e.g. a missing name) are left out.
    public static func tag(for key: StatKey) -> String {
        let section = key.prefix.isEmpty ? key.topic : "\(key.prefix)_\(key.topic)"
        return [section, key.event, key.name].filter { !$0.isEmpty }.joined(separator: "/")
    }

    /// `stem`, or `stem.1`, `stem.2`, … when two writers start in the same second on the same host.
    private static func unusedFileURL(in directory: URL, stem: String) -> URL {
        var candidate = directory.appendingPathComponent(stem)
        var suffix = 1
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = directory.appendingPathComponent("\(stem).\(suffix)")
            suffix += 1
        }
        return candidate
    }
}
