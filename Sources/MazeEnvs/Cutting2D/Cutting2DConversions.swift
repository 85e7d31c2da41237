import MazeCore

/// The tutorial's dictionary observation: `inventory` (max pieces × 2, empty slots zero),
/// `inventory_size` and `ordered_piece`, all float32.
public struct Cutting2DObservationConversion: ObservationConversion {
    public let space: DictSpace
    private let maxPieces: Int

    public init(_ configuration: Cutting2DCoreEnv.Configuration) throws(MazeError) {
        let raw = configuration.rawPieceSize
        maxPieces = configuration.maxPiecesInInventory
        space = [
            "inventory": .box(
                try BoxSpace(
                    low: [Double](repeating: 0, count: maxPieces * 2),
                    high: (0..<maxPieces).flatMap { _ in [Double(raw.x + 1), Double(raw.y + 1)] },
                    shape: [maxPieces, 2])),
            "inventory_size": .box(try BoxSpace(low: 0, high: Double(maxPieces + 1), shape: [1])),
            "ordered_piece": .box(try BoxSpace(low: 0, high: Double(max(raw.x, raw.y) + 1), shape: [2])),
        ]
    }

    public func observation(from state: Cutting2DMazeState) -> Observation {
        var inventory = [Float](repeating: 0, count: maxPieces * 2)
        for (slot, piece) in state.inventory.prefix(maxPieces).enumerated() {
            inventory[2 * slot] = Float(piece.x)
            inventory[2 * slot + 1] = Float(piece.y)
        }
        return [
            "inventory": NDArray(floats: inventory, shape: [maxPieces, 2]),
            "inventory_size": NDArray(floats: [Float(state.inventory.count)]),
            "ordered_piece": NDArray(floats: [Float(state.currentDemand.x), Float(state.currentDemand.y)]),
        ]
    }
}

/// The tutorial's dictionary action: `piece_idx` (Discrete(max pieces)), `cut_rotation` and `cut_order`
/// (Discrete(2) each).
public struct Cutting2DActionConversion: ActionConversion {
    public let space: DictSpace

    public init(_ configuration: Cutting2DCoreEnv.Configuration) {
        space = [
            "piece_idx": .discrete(configuration.maxPiecesInInventory),
            "cut_rotation": .discrete(2),
            "cut_order": .discrete(2),
        ]
    }

    public func mazeAction(from action: Action, state: Cutting2DMazeState) throws -> Cutting2DMazeAction {
        Cutting2DMazeAction(
            pieceID: try action.require("piece_idx").discreteChoice("piece_idx"),
            rotate: try action.require("cut_rotation").discreteChoice("cut_rotation") != 0,
            reverseCuttingOrder: try action.require("cut_order").discreteChoice("cut_order") != 0)
    }

    public func action(from mazeAction: Cutting2DMazeAction) -> Action {
        [
            "piece_idx": .scalar(mazeAction.pieceID),
            "cut_rotation": .scalar(mazeAction.rotate ? 1 : 0),
            "cut_order": .scalar(mazeAction.reverseCuttingOrder ? 1 : 0),
        ]
    }
}

extension MazeEnv where Core == Cutting2DCoreEnv {
    /// The flat cutting environment (the tutorial's `maze_env_factory`): one step per order.
    public static func cutting2D(_ configuration: Cutting2DCoreEnv.Configuration) throws(MazeError)
        -> MazeEnv<Cutting2DCoreEnv>
    {
        MazeEnv(
            core: Cutting2DCoreEnv(configuration),
            observationConversion: try Cutting2DObservationConversion(configuration),
            actionConversion: Cutting2DActionConversion(configuration))
    }
}
