import MazeCore
import MazeTrajectory

/// The observation and action spaces an env server describes in its `init` reply, as swift-maze spaces.
///
/// Each leaf is one entry (`key`, `kind`, `shape`, bounds; see `python/maze_gym_bridge/spaces.py`): Discrete,
/// MultiDiscrete and 1-D MultiBinary keep their kind, a Box keeps its shape and bounds (any element type; values
/// travel as floats or, for `uint8` images, as bytes and become floats here), a multi-dimensional MultiBinary
/// becomes a 0–1 box.
struct BridgeSpaces: Equatable {
    let observation: DictSpace
    let action: DictSpace
    /// The env's render mode (`ansi`, `rgb_array`, …; empty when none).
    let renderMode: String
    /// Gymnasium's `spec.max_episode_steps` (its `TimeLimit`), `nil` when the env has none.
    let maxEpisodeSteps: Int?

    init(_ reply: BridgeReply) throws {
        observation = try Self.space(reply, "observation")
        action = try Self.space(reply, "action")
        renderMode = reply.root["render_mode"]?.stringValue ?? ""
        maxEpisodeSteps = reply.root["max_episode_steps"]?.intValue.flatMap { $0 > 0 ? $0 : nil }
    }

    private static func space(_ reply: BridgeReply, _ key: String) throws -> DictSpace {
        guard case .array(let leaves) = try reply.require(key) else {
            throw GymBridgeError.malformedReply(env: reply.env, detail: "'\(key)' is not a list of spaces")
        }
        return DictSpace(try leaves.map { try leaf($0, reply: reply) })
    }

    private static func leaf(_ node: MsgPackNode, reply: BridgeReply) throws -> (String, Space) {
        guard let key = node["key"]?.stringValue, let kind = node["kind"]?.stringValue,
            case .array(let shapeNodes) = node["shape"] ?? .none
        else { throw GymBridgeError.malformedReply(env: reply.env, detail: "a space without key, kind or shape") }
        let shape = shapeNodes.compactMap(\.intValue)
        func integers(_ name: String) throws -> [Int] {
            guard case .array(let values) = node[name] ?? .none else {
                throw GymBridgeError.malformedReply(env: reply.env, detail: "space '\(key)' has no '\(name)'")
            }
            return values.compactMap(\.intValue)
        }
        func doubles(_ name: String) throws -> [Double] {
            guard case .array(let values) = node[name] ?? .none else {
                throw GymBridgeError.malformedReply(env: reply.env, detail: "space '\(key)' has no '\(name)'")
            }
            return values.compactMap(\.doubleValue)
        }
        do {
            switch kind {
            case "discrete":
                guard let n = node["n"]?.intValue, n > 0 else {
                    throw GymBridgeError.malformedReply(env: reply.env, detail: "space '\(key)' has no n")
                }
                return (key, .discrete(n))
            case "multi_discrete":
                return (key, .multiDiscrete(try integers("nvec")))
            case "multi_binary" where shape.count == 1:
                return (key, .multiBinary(shape[0]))
            case "multi_binary":
                return (key, .box(try BoxSpace(low: 0, high: 1, shape: shape)))
            case "box":
                return (key, .box(try BoxSpace(low: try doubles("low"), high: try doubles("high"), shape: shape)))
            default:
                throw GymBridgeError.spaceMismatch(
                    env: reply.env, detail: "space '\(key)' is a \(kind), which swift-maze has no counterpart for")
            }
        } catch let error as MazeError {
            throw GymBridgeError.spaceMismatch(env: reply.env, detail: "space '\(key)': \(error)")
        }
    }
}
