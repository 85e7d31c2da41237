import Foundation

/// Where a run writes its outputs: `<log_base_dir>/<env>-<model>-<algorithm>-<runner>/<timestamp>/`,
/// plus `<job number>/` for each job of a multirun. Runs started in the same second get `<timestamp>_1`, … (see
/// ``claim(for:date:jobNumber:timeZone:)``).
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

    /// The run folder of ``path(for:date:jobNumber:timeZone:)``, created for this run alone: when a folder of that name
    /// exists already (another run started in the same second), `<path>_1`, `<path>_2`, … instead. A folder the config
    /// names itself (`hydra.run.dir`, `hydra.sweep.dir`) is used as it is, and created if missing.
    public static func claim(
        for composed: ComposedConfig, date: Date, jobNumber: Int? = nil, timeZone: TimeZone = .current
    ) throws -> ClaimedRunDirectory {
        let path = try path(for: composed, date: date, jobNumber: jobNumber, timeZone: timeZone)
        let named = composed.hydra.nonNull(jobNumber == nil ? "run.dir" : "sweep.dir") != nil
        let files = FileManager.default
        var missing: [String] = []
        var ancestor = (path as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, ancestor != "/", !files.fileExists(atPath: ancestor) {
            missing.insert(ancestor, at: 0)
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        if let outermost = missing.last {
            try files.createDirectory(atPath: outermost, withIntermediateDirectories: true)
        }
        if named {
            let existed = files.fileExists(atPath: path)
            try files.createDirectory(atPath: path, withIntermediateDirectories: true)
            return ClaimedRunDirectory(path: path, created: missing + (existed ? [] : [path]))
        }
        // Creating a folder that exists fails, so of two runs racing for a name exactly one gets it.
        for attempt in 0..<Self.maximumClaims {
            let candidate = attempt == 0 ? path : "\(path)_\(attempt)"
            do {
                try files.createDirectory(atPath: candidate, withIntermediateDirectories: false)
                return ClaimedRunDirectory(path: candidate, created: missing + [candidate])
            } catch  where files.fileExists(atPath: candidate) {
                continue
            }
        }
        throw ConfigError.invalidValue(
            path: "log_base_dir",
            problem: "\(path) and the \(Self.maximumClaims - 1) numbered folders beside it exist already")
    }

    /// Folders tried for one run before ``claim(for:date:jobNumber:timeZone:)`` gives up.
    static let maximumClaims = 1000
}

/// A run folder made for one run by ``RunDirectory/claim(for:date:jobNumber:timeZone:)``.
public struct ClaimedRunDirectory: Sendable, Equatable {
    /// The run folder.
    public let path: String
    /// The folders the claim created, outermost first.
    let created: [String]

    /// Runs `body` on the folder's path; if it throws, releases the folder (``releaseIfUnused()``) and rethrows, so
    /// that a run refused before it wrote anything leaves no folder behind.
    public func use<Result>(_ body: (String) throws -> Result) throws -> Result {
        do {
            return try body(path)
        } catch {
            releaseIfUnused()
            throw error
        }
    }

    /// Removes the folders the claim created while they are still empty, innermost first.
    func releaseIfUnused() {
        let files = FileManager.default
        for folder in created.reversed() {
            guard (try? files.contentsOfDirectory(atPath: folder))?.isEmpty == true else { return }
            try? files.removeItem(atPath: folder)
        }
    }
}
