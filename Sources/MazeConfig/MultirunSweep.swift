/// Expands `--multirun` sweeps: every override with comma-separated values (`algorithm.lr=0.001,0.0005`)
/// multiplies the jobs, giving the cartesian product in Hydra's order (the last sweep varies fastest).
public enum MultirunSweep {
    /// One job of a sweep: its number (for its folder `.../<number>/`) and its concrete overrides.
    public struct Job: Sendable, Equatable {
        public let number: Int
        public let overrides: [String]
    }

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
            combinations = combinations.flatMap { prefix in choices.map { prefix + [$0] } }
        }
        return combinations.enumerated().map { Job(number: $0.offset, overrides: $0.element) }
    }
}
