import MazeConfig

/// Typed reads of one algorithm section with Maze's default for keys the section leaves out, and
/// range checks whose errors name the full key (`algorithm.lr: must be positive, got -1`).
struct SettingsReader {
    let section: ConfigSection

    func qualified(_ key: String) -> String {
        section.path.isEmpty ? key : section.dottedPath + "." + key
    }

    /// The integer at `key` (or `fallback` when absent), which must lie in `range`. Every count has an upper
    /// bound (docs/CONFIG_RANGES.md), so that a typo such as `n_rollout_steps: 1e9` is refused by name before
    /// anything is allocated.
    func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        let value = section.contains(key) ? try section.int(key) : fallback
        guard range.contains(value) else {
            throw TrainError.invalidSetting(key: qualified(key), problem: "must lie in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    /// The integer at `key`, which must lie in `range`, or `nil` where the key is absent or `~` (the setting is
    /// then derived from others).
    func optionalInt(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
        guard section.contains(key), let present = section.nonNull(key) else { return nil }
        let value = try present.int()
        guard range.contains(value) else {
            throw TrainError.invalidSetting(key: qualified(key), problem: "must lie in \(range.lowerBound)...\(range.upperBound) or be ~, got \(value)")
        }
        return value
    }

    /// The number at `key` (or `fallback`), which must lie in `range`.
    func float(_ key: String, default fallback: Float, in range: ClosedRange<Float>) throws -> Float {
        let value = section.contains(key) ? Float(try section.double(key)) : fallback
        guard range.contains(value) else {
            throw TrainError.invalidSetting(key: qualified(key), problem: "must lie in \(range), got \(value)")
        }
        return value
    }

    /// A positive number, or `nil` where the config says `~` (a disabled threshold).
    func optionalPositive(_ key: String, default fallback: Float?) throws -> Float? {
        guard section.contains(key) else { return fallback }
        guard let present = section.nonNull(key) else { return nil }
        let value = Float(try present.double())
        guard value > 0 else { throw TrainError.invalidSetting(key: qualified(key), problem: "must be positive or ~, got \(value)") }
        return value
    }

    /// The boolean at `key`, or `fallback`.
    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        section.contains(key) ? try section.bool(key) : fallback
    }

    /// The sub-section at `key`, or an empty one (every key then takes its default).
    func child(_ key: String) throws -> SettingsReader {
        SettingsReader(section: section.contains(key) ? try section.section(key) : ConfigSection(root: .emptyMap))
    }
}
