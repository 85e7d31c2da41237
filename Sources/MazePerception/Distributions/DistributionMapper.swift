import MazeConfig
import MazeCore

/// Chooses the distribution family of every action key: Maze's defaults per space type, overridden by
/// the rules of a model's `distribution_mapper_config`, applied top to bottom so that later (more
/// specific) rules win.
public struct DistributionMapper: Sendable, Hashable {
    /// One override: for every action of a space type, or for one action key.
    public enum Rule: Sendable, Hashable {
        /// Applies to every action whose space is `spaceType` (`Discrete`, `MultiDiscrete`, `MultiBinary`, `Box`).
        case actionSpace(spaceType: String, kind: DistributionKind)
        /// Applies to the action named `key`.
        case actionHead(key: String, kind: DistributionKind)
    }

    /// The overrides in order.
    public let rules: [Rule]

    /// A mapper with `rules` on top of the defaults.
    public init(rules: [Rule] = []) {
        self.rules = rules
    }

    /// Reads Maze's `distribution_mapper_config` list: entries with `action_space` (e.g. `gym.spaces.Box`)
    /// or `action_head` and a `distribution` class name (the last dotted component is what counts).
    public init(config: ConfigSection) throws {
        var rules: [Rule] = []
        for entry in try config.elements() {
            try entry.refuseKeys(otherThan: ["action_space", "action_head", "distribution"])
            if entry.contains("action_space"), entry.contains("action_head") {
                throw PerceptionError.invalidConfiguration(
                    "\(entry.dottedPath): give either action_space or action_head, not both")
            }
            let name = Self.lastComponent(try entry.string("distribution"))
            guard let kind = DistributionKind(rawValue: name) else {
                throw PerceptionError.invalidConfiguration(
                    "\(entry.dottedPath).distribution: unknown distribution '\(name)' (known: \(DistributionKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            if entry.contains("action_head") {
                rules.append(.actionHead(key: try entry.string("action_head"), kind: kind))
            } else if entry.contains("action_space") {
                let spaceType = Self.lastComponent(try entry.string("action_space"))
                guard Self.spaceTypes.contains(spaceType) else {
                    throw PerceptionError.invalidConfiguration(
                        "\(entry.dottedPath).action_space: unknown space '\(spaceType)'")
                }
                rules.append(.actionSpace(spaceType: spaceType, kind: kind))
            } else {
                throw PerceptionError.invalidConfiguration("\(entry.dottedPath): needs 'action_space' or 'action_head'")
            }
        }
        self.init(rules: rules)
    }

    /// The head for action `key` of `space`, after applying every matching rule.
    public func head(key: String, space: Space) throws -> ActionHead {
        var kind = DistributionKind.defaultKind(for: space)
        for rule in rules {
            switch rule {
            case .actionSpace(let spaceType, let ruleKind) where spaceType == Self.typeName(of: space): kind = ruleKind
            case .actionHead(let ruleKey, let ruleKind) where ruleKey == key: kind = ruleKind
            default: continue
            }
        }
        return try ActionHead(key: key, space: space, kind: kind)
    }

    /// Heads for every key of an action space, in its order.
    public func heads(for actionSpace: DictSpace) throws -> [ActionHead] {
        try actionSpace.map { try head(key: $0.key, space: $0.space) }
    }

    private static let spaceTypes: Set<String> = ["Discrete", "MultiDiscrete", "MultiBinary", "Box"]

    private static func typeName(of space: Space) -> String {
        switch space {
        case .discrete: "Discrete"
        case .multiDiscrete: "MultiDiscrete"
        case .multiBinary: "MultiBinary"
        case .box: "Box"
        }
    }

    private static func lastComponent(_ name: String) -> String {
        name.split(separator: ".").last.map(String.init) ?? name
    }
}
