import ArgumentParser

/// `maze-bench …` (what `maze bench …` runs): speed checks that print each figure next to a baseline measured in
/// the same run. A separate executable, so that the product `maze` links no measuring code.
public struct Bench: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "maze-bench",
        abstract: "Measure throughput against baselines measured in the same run.",
        discussion: """
            Every benchmark prints its figures and, for each target, the ratio to a baseline \
            (memcpy, a C program on the same library, raw sgemm …) measured in the same process, \
            so that results on a noisy machine stay comparable. Use --json for machine-readable output.
            """,
        subcommands: [
            TransportBench.self, TensorBench.self, EnvsBench.self, TrainBench.self, ClusterBench.self, BridgeBench.self,
            WorkloadsBench.self, HotPathBench.self, ESBench.self,
        ]
    )

    public init() {}
}

/// Options shared by every benchmark subcommand.
struct BenchOptions: ParsableArguments {
    @Flag(help: "Print the figures as one JSON object (ratios under keys ending in _ratio).")
    var json = false

    @Option(
        name: .customLong("seconds"),
        help: "Seconds each measurement runs for (longer is steadier; default 1, `bench bridge` 3).")
    var requestedSeconds: Double?

    /// `--seconds`, else the default of most benchmarks.
    var seconds: Double { requestedSeconds ?? 1 }

    @Option(help: "Repetitions of each measurement; the median is reported.")
    var repeats: Int = 3

    func validate() throws {
        guard seconds > 0, seconds.isFinite else { throw ValidationError("--seconds must be positive.") }
        guard repeats >= 1 else { throw ValidationError("--repeats must be at least 1.") }
    }
}
