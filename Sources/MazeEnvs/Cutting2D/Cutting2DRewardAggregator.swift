import MazeCore

/// Maze's `DefaultRewardAggregator` for the cutting env (tutorial "Adding reward customization"): the
/// step's reward summed from its events, `raw_piece_usage_penalty` per replenished raw piece and
/// `invalid_action_penalty` per invalid piece selection or invalid cut.
///
/// Configured as `reward_aggregator` in the env config; without it the env keeps the tutorial's built-in
/// rewards (-1 per new raw piece, -2 per invalid cut, nothing for an invalid piece selection).
public struct Cutting2DRewardAggregator: Sendable, Hashable {
    public var invalidActionPenalty: Double
    public var rawPieceUsagePenalty: Double

    /// The names `reward_aggregator._target_` accepts.
    public static let targets: Set<String> = [
        "DefaultRewardAggregator", "maze_envs.logistics.cutting_2d.reward.default.DefaultRewardAggregator",
    ]

    /// The tutorial's penalties (its `maze_env_factory` uses -2 and -1).
    public init(invalidActionPenalty: Double = -2, rawPieceUsagePenalty: Double = -1) {
        self.invalidActionPenalty = invalidActionPenalty
        self.rawPieceUsagePenalty = rawPieceUsagePenalty
    }

    /// Reads `reward_aggregator`: `_target_` (one of ``targets``) and optionally the two penalties; other
    /// keys are refused by name rather than ignored.
    public init(arguments: ConfigSection) throws {
        try arguments.refuseKeys(otherThan: ["_target_", "invalid_action_penalty", "raw_piece_usage_penalty"])
        let targetSection = try arguments.section("_target_")
        let target = try targetSection.string()
        guard Self.targets.contains(target) else {
            throw targetSection.invalid("'\(target)' is not available for the cutting env; use DefaultRewardAggregator")
        }
        self.init(
            invalidActionPenalty: try arguments.optionalDouble("invalid_action_penalty") ?? -2,
            rawPieceUsagePenalty: try arguments.optionalDouble("raw_piece_usage_penalty") ?? -1)
    }

    /// The reward of a step with these event counts (Maze's `summarize_reward`).
    public func summarizeReward(replenishedPieces: Int, invalidPieceSelections: Int, invalidCuts: Int) -> Double {
        rawPieceUsagePenalty * Double(replenishedPieces)
            + invalidActionPenalty * Double(invalidPieceSelections + invalidCuts)
    }
}
