import MazeCore

/// The online 2D cutting-stock simulation of Maze's tutorial (`Cutting2DCoreEnvironment`).
///
/// Every step one piece is ordered (the demand list is cycled); the agent picks an inventory piece and
/// how to cut the order from it, and the remainders go back into stock. One raw piece is always in
/// stock: cutting it costs -1 (a new one is replenished), an impossible cut costs -2, everything else 0;
/// a configured ``Cutting2DRewardAggregator`` (Maze's `reward_aggregator`) computes the reward from the
/// step's events instead.
/// The environment never ends an episode by itself; a time limit does.
public final class Cutting2DCoreEnv: CoreEnv {
    public typealias MazeState = Cutting2DMazeState
    public typealias MazeAction = Cutting2DMazeAction

    /// The parameters of the tutorial's `maze_env_factory`.
    public struct Configuration: Sendable, Hashable {
        public var maxPiecesInInventory: Int
        public var rawPieceSize: Cutting2DPiece
        /// The orders, issued in turn (the tutorial's `static_demand`).
        public var staticDemand: [Cutting2DPiece]
        /// Event-based rewards (`reward_aggregator`); `nil` keeps the built-in rewards.
        public var rewardAggregator: Cutting2DRewardAggregator?

        /// Checks the parameters so that a bad config fails here rather than mid-episode.
        public init(
            maxPiecesInInventory: Int, rawPieceSize: Cutting2DPiece, staticDemand: [Cutting2DPiece],
            rewardAggregator: Cutting2DRewardAggregator? = nil
        ) throws(MazeError) {
            guard maxPiecesInInventory >= 1 else {
                throw .invalidConfiguration("max_pieces_in_inventory must be at least 1, got \(maxPiecesInInventory)")
            }
            guard rawPieceSize.x > 0, rawPieceSize.y > 0 else {
                throw .invalidConfiguration("raw_piece_size must be positive, got \(rawPieceSize)")
            }
            guard !staticDemand.isEmpty, staticDemand.allSatisfy({ $0.x > 0 && $0.y > 0 }) else {
                throw .invalidConfiguration(
                    "static_demand needs at least one piece of positive size, got \(staticDemand)")
            }
            if let tooLarge = staticDemand.first(where: { !rawPieceSize.fits($0) && !rawPieceSize.fits($0.rotated) }) {
                throw .invalidConfiguration(
                    "static_demand has an order \(tooLarge) that no raw piece of raw_piece_size \(rawPieceSize) can hold"
                )
            }
            self.maxPiecesInInventory = maxPiecesInInventory
            self.rawPieceSize = rawPieceSize
            self.staticDemand = staticDemand
            self.rewardAggregator = rewardAggregator
        }
    }

    public let configuration: Configuration
    public let events = EventContext()
    private var inventory: Cutting2DInventory
    private var demandIndex = 0
    private let renderer = Cutting2DTextRenderer()

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        inventory = Cutting2DInventory(
            maxPieces: configuration.maxPiecesInInventory, rawPieceSize: configuration.rawPieceSize, events: events)
        inventory.replenish()
    }

    public var mazeState: Cutting2DMazeState {
        Cutting2DMazeState(
            inventory: inventory.pieces, maxPiecesInInventory: configuration.maxPiecesInInventory,
            currentDemand: configuration.staticDemand[demandIndex], rawPieceSize: configuration.rawPieceSize)
    }

    public func reset() -> Cutting2DMazeState {
        inventory = Cutting2DInventory(
            maxPieces: configuration.maxPiecesInInventory, rawPieceSize: configuration.rawPieceSize, events: events)
        inventory.replenish()
        demandIndex = 0
        return mazeState
    }

    public func step(_ action: Cutting2DMazeAction) -> CoreStepResult<Cutting2DMazeState> {
        let order = configuration.staticDemand[demandIndex]
        var reward = 0.0
        var info: StepInfo = [:]
        var (replenished, invalidPieces, invalidCuts) = (0, 0, 0)
        if !inventory.pieces.indices.contains(action.pieceID) {
            events.record(Cutting2DEvents.invalidPieceSelected)
            info["error"] = "piece_id_out_of_bounds"
            invalidPieces = 1
        } else {
            let pieceToCut = inventory.pieces[action.pieceID]
            if inventory.cut(action, order: order) {
                events.record(Cutting2DEvents.validCut, attributes: ["area": Double(order.area)])
                info["msg"] = "valid_cut"
                if pieceToCut == configuration.rawPieceSize {
                    inventory.replenish()
                    reward = -1
                    replenished = 1
                }
            } else {
                events.record(Cutting2DEvents.invalidCut)
                info["error"] = "invalid_cut"
                reward = -2
                invalidCuts = 1
            }
        }
        if let aggregator = configuration.rewardAggregator {
            reward = aggregator.summarizeReward(
                replenishedPieces: replenished, invalidPieceSelections: invalidPieces, invalidCuts: invalidCuts)
        }
        inventory.logStepStatistics()
        demandIndex = (demandIndex + 1) % configuration.staticDemand.count
        return CoreStepResult(state: mazeState, reward: reward, done: false, info: info)
    }

    /// The simulation is deterministic; seeding has nothing to do.
    public func seed(_ seed: UInt64) {}

    /// `raw_piece_usage_per_step`: raw pieces put into stock (the first one included) per step.
    public func calculateKPIs() -> [String: Double] {
        let steps = events.steps.count
        guard steps > 0 else { return [:] }
        return [
            "raw_piece_usage_per_step": Double(events.query(Cutting2DEvents.pieceReplenished).count) / Double(steps)
        ]
    }

    public func render(action: Cutting2DMazeAction?) -> String? {
        renderer.render(state: mazeState, action: action)
    }
}
