/// Applies one value override (`a.b=v`, `+a.b=v`, `++a.b=v`, `~a.b`) to a composed tree, with errors
/// that name the key and suggest the nearest existing one.
enum ValueOverride {
    static func apply(_ override: Override, to config: ConfigNode) throws -> ConfigNode {
        let path = keyPathSegments(override.key)
        let exists = config.node(at: path) != nil
        let value: ConfigNode?
        switch override.value {
        case .single(let single)?: value = single
        case .sweep?: throw ConfigError.sweepWithoutMultirun(override: override.text)
        case nil: value = nil
        }
        switch override.action {
        case .change, .delete:
            guard exists else {
                throw ConfigError.keyNotFound(
                    path: override.key,
                    suggestion: NearestMatch.suggestion(for: override.key, among: config.allKeyPaths))
            }
        case .add:
            guard !exists else { throw ConfigError.keyAlreadyExists(path: override.key) }
        case .forceAdd:
            break
        }
        if override.action == .delete {
            if let value, let current = config.node(at: path), current != value {
                throw ConfigError.invalidOverride(
                    override: override.text, problem: "the current value is \(current.summary), not \(value.summary)")
            }
            return config.removing(at: path) ?? config
        }
        guard let value, let updated = config.setting(value, at: path) else {
            throw ConfigError.invalidOverride(
                override: override.text, problem: "'\(override.key)' is inside a non-map value")
        }
        return updated
    }
}
