extension ConfigSection {
    /// Throws `ConfigError.keyNotFound` for the first key of this map that is not in `allowed`, with the
    /// nearest allowed key as suggestion: a component whose settings are a fixed set of keys uses it so
    /// that a misspelled setting is refused instead of silently ignored. A null section has no keys.
    public func refuseKeys(otherThan allowed: Set<String>) throws {
        guard !isNull else { return }
        for entry in try entries() {
            guard let key = entry.key, !allowed.contains(key) else { continue }
            throw ConfigError.keyNotFound(path: entry.dottedPath, suggestion: NearestMatch.suggestion(for: key, among: allowed.sorted()))
        }
    }
}
