import Foundation

/// Where a run writes its outputs: `<log_base_dir>/<env>-<model>-<algorithm>-<runner>/<timestamp>/`,
/// plus `<job number>/` for each job of a multirun.
public enum RunDirectory {
    /// The groups whose options name the experiment folder, in order.
    public static let namingGroups = ["env", "model", "algorithm", "runner"]

    /// The experiment folder name, e.g. `gym_env-vector_obs-ppo-dev`; a group not chosen reads `None`, as in Maze.
    public static func experimentName(_ composed: ComposedConfig) -> String {
        namingGroups.map { composed.choice($0) ?? "None" }.joined(separator: "-")
    }

    /// The timestamp folder name, `yyyy-MM-dd_HH-mm-ss` (Hydra's format).
    public static func timestamp(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String {
            let digits = String(value ?? 0)
            return digits.count < 2 ? "0" + digits : digits
        }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))_"
            + "\(two(parts.hour))-\(two(parts.minute))-\(two(parts.second))"
    }

    /// The run folder, relative to the working directory unless `log_base_dir` is absolute.
    /// `log_base_dir` defaults to `outputs` when the config does not set it. As with Maze, `hydra.run.dir=DIR`
    /// replaces the whole path of a single run and `hydra.sweep.dir=DIR` the part before the job number.
    public static func path(
        for composed: ComposedConfig, date: Date, jobNumber: Int? = nil, timeZone: TimeZone = .current
    ) throws -> String {
        if let jobNumber {
            if let sweepDirectory = composed.hydra.nonNull("sweep.dir") {
                return try sweepDirectory.string() + "/\(jobNumber)"
            }
        } else if let runDirectory = composed.hydra.nonNull("run.dir") {
            return try runDirectory.string()
        }
        let base = composed.root.contains("log_base_dir") ? try composed.root.string("log_base_dir") : "outputs"
        var components = [base, experimentName(composed), timestamp(date, timeZone: timeZone)]
        if let jobNumber { components.append(String(jobNumber)) }
        return components.joined(separator: "/")
    }
}
