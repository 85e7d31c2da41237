/// Expands `--multirun` sweeps: every override with comma-separated values (`algorithm.lr=0.001,0.0005`)
/// multiplies the jobs, giving the cartesian product in Hydra's order (the last sweep varies fastest).
public enum MultirunSweep {
    /// One job of a sweep: its number (for its folder `.../<number>/`) and its concrete overrides.
    public struct Job: Sendable, Equatable {
        public let number: Int
        public let overrides: [String]
    }

    /// The most jobs one sweep may expand to; a larger product is refused before it is built.
    public static let maxJobs = 10_000

    /// The jobs for a list of overrides; without any sweep this is a single job 0 with the overrides as given.
    public static func jobs(for overrides: [String]) throws -> [Job] {
        var combinations: [[String]] = [[]]
        for override in try overrides.map(Override.init(parsing:)) {
            let choices: [String]
            if case .sweep(let elements) = override.value {
                choices = elements.indices.map { override.narrowed(toSweepElement: $0) }
            } else {
                choices = [override.text]
            }
            let (count, overflow) = combinations.count.multipliedReportingOverflow(by: choices.count)
            guard !overflow, count <= maxJobs else {
                throw ConfigError.invalidOverride(
                    override: override.text,
                    problem: "the sweep would expand to more than \(maxJobs) jobs; split it into smaller sweeps")
            }
            combinations = combinations.flatMap { prefix in choices.map { prefix + [$0] } }
        }
        return combinations.enumerated().map { Job(number: $0.offset, overrides: $0.element) }
    }
}
