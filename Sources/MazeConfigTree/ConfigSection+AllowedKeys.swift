extension ConfigSection {
    /// Throws ``ConfigError/unknownKey(path:known:suggestion:)`` for the first key of this map that is not in
    /// `allowed`, listing the allowed keys and suggesting the nearest one by its full path: a component whose
    /// settings are a fixed set of keys uses it so that a misspelled setting is refused instead of silently
    /// ignored. A null section has no keys.
    public func refuseKeys(otherThan allowed: Set<String>) throws {
        guard !isNull else { return }
        for entry in try entries() {
            guard let key = entry.key, !allowed.contains(key) else { continue }
            let prefix = path.map { $0 + "." }.joined()
            throw ConfigError.unknownKey(
                path: entry.dottedPath, known: allowed.sorted(),
                suggestion: NearestMatch.suggestion(for: key, among: allowed.sorted()).map { prefix + $0 })
        }
    }
}
