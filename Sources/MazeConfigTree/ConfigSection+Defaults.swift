/// Reads of settings that may be left out: each names the full key path in its errors (``ConfigError``), so a
/// component that only sees its own section still reports `env.max_pieces_in_inventory: expected an integer …`.
///
/// Two meanings of "not set" exist and are kept apart:
/// - `optional…(key)`: absent **or** `~` (YAML null) read as `nil`, as Maze passes `None` to a constructor
///   argument (`tag: ~`, `seed: ~`); the caller supplies the default.
/// - `…(key, default:)`: only an absent key takes the default; `~` is a type error, because Maze's algorithms
///   cannot run with `lr: None`.
///
/// Ranges (`in:`) are checked after the read, so `n_rollout_steps: 1e9` is refused by name before anything is
/// allocated (docs/CONFIG_RANGES.md lists the bounds).
extension ConfigSection {
    /// The string at `key`, or `nil` when it is absent or `~`.
    public func optionalString(_ key: String) throws -> String? { try nonNull(key)?.string() }

    /// The integer at `key`, or `nil` when it is absent or `~`; when present it must lie in `range`.
    public func optionalInt(_ key: String, in range: ClosedRange<Int>? = nil) throws -> Int? {
        guard let present = nonNull(key) else { return nil }
        let value = try present.int()
        if let range, !range.contains(value) {
            throw present.invalid("must lie in \(range.lowerBound)...\(range.upperBound) or be ~, got \(value)")
        }
        return value
    }

    /// The number at `key`, or `nil` when it is absent or `~`.
    public func optionalDouble(_ key: String) throws -> Double? { try nonNull(key)?.double() }

    /// The boolean at `key`, or `nil` when it is absent or `~`.
    public func optionalBool(_ key: String) throws -> Bool? { try nonNull(key)?.bool() }

    /// The list at `key`, or `nil` when it is absent or `~`.
    public func optionalElements(_ key: String) throws -> [ConfigSection]? { try nonNull(key)?.elements() }

    /// The map entries at `key`, or `nil` when it is absent or `~`.
    public func optionalEntries(_ key: String) throws -> [ConfigSection]? { try nonNull(key)?.entries() }

    /// A positive number at `key`; `fallback` when absent, `nil` where the config says `~` (a disabled threshold).
    public func optionalPositive(_ key: String, default fallback: Float?) throws -> Float? {
        guard contains(key) else { return fallback }
        guard let present = nonNull(key) else { return nil }
        let value = Float(try present.double())
        guard value > 0 else { throw present.invalid("must be positive or ~, got \(value)") }
        return value
    }

    /// The integer at `key` (`fallback` when absent), which must lie in `range` when one is given.
    public func int(_ key: String, default fallback: Int, in range: ClosedRange<Int>? = nil) throws -> Int {
        guard contains(key) else { return fallback }
        let present = try section(key)
        let value = try present.int()
        if let range, !range.contains(value) {
            throw present.invalid("must lie in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    /// The number at `key` (`fallback` when absent) as a `Float`, which must lie in `range`.
    public func float(_ key: String, default fallback: Float, in range: ClosedRange<Float>) throws -> Float {
        guard contains(key) else { return fallback }
        let present = try section(key)
        let value = Float(try present.double())
        guard range.contains(value) else { throw present.invalid("must lie in \(range), got \(value)") }
        return value
    }

    /// The boolean at `key`, or `fallback` when absent.
    public func bool(_ key: String, default fallback: Bool) throws -> Bool {
        contains(key) ? try bool(key) : fallback
    }

    /// The string at `key`, or `fallback` when absent.
    public func string(_ key: String, default fallback: String) throws -> String {
        contains(key) ? try string(key) : fallback
    }

    /// The sub-section at `key`, or an empty map at that path when the key is absent (every key below then takes
    /// its default).
    public func child(_ key: String) throws -> ConfigSection {
        contains(key) ? try section(key) : ConfigSection(path: path + keyPathSegments(key), node: .emptyMap)
    }

    /// The error for a value of the right type that is not allowed, naming this section's full path.
    public func invalid(_ problem: String) -> ConfigError {
        .invalidValue(path: dottedPath, problem: problem)
    }
}
