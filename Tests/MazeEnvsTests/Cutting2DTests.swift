import MazeCore
import Testing

@testable import MazeEnvs

@Suite struct Cutting2DTests {
    private func tutorialConfiguration(maxPieces: Int = 200) throws -> Cutting2DCoreEnv.Configuration {
        try Cutting2DCoreEnv.Configuration(
            maxPiecesInInventory: maxPieces, rawPieceSize: Cutting2DPiece(100, 100),
            staticDemand: [Cutting2DPiece(30, 15)])
    }

    /// The tutorial's test script: 15 steps cutting piece 0, no rotation, x first. Its printed lines
    /// are -1 then 0, 0 with valid cuts; the rest follows from the tutorial's inventory mechanics
    /// (the replenished raw piece reaches slot 0 at steps 4 and 10, and from step 11 slot 0 holds a
    /// 10x100 remainder the 30x15 order does not fit).
    @Test func tutorialFifteenStepExample() throws {
        let env = Cutting2DCoreEnv(try tutorialConfiguration())
        _ = env.reset()
        var rewards: [Double] = []
        var infos: [StepInfo] = []
        for _ in 0..<15 {
            let result = env.step(Cutting2DMazeAction(pieceID: 0, rotate: false, reverseCuttingOrder: false))
            rewards.append(result.reward)
            infos.append(result.info)
            #expect(!result.done)
        }
        #expect(Array(rewards.prefix(3)) == [-1, 0, 0])
        #expect(infos.prefix(3).allSatisfy { $0 == ["msg": "valid_cut"] })
        #expect(rewards == [-1, 0, 0, -1, 0, 0, 0, 0, 0, -1, -2, -2, -2, -2, -2])
        #expect(env.mazeState.inventory.first == Cutting2DPiece(10, 100))
    }

    @Test func firstCutLeavesBothRemaindersAndAFreshRawPiece() throws {
        let env = Cutting2DCoreEnv(try tutorialConfiguration())
        _ = env.reset()
        _ = env.step(Cutting2DMazeAction(pieceID: 0, rotate: false, reverseCuttingOrder: false))
        #expect(env.mazeState.inventory == [Cutting2DPiece(70, 100), Cutting2DPiece(30, 85), Cutting2DPiece(100, 100)])
        _ = env.reset()
        _ = env.step(Cutting2DMazeAction(pieceID: 0, rotate: true, reverseCuttingOrder: true))
        #expect(env.mazeState.inventory == [Cutting2DPiece(100, 70), Cutting2DPiece(85, 30), Cutting2DPiece(100, 100)])
    }

    @Test func invalidCutCostsTwoAndChangesNothing() throws {
        let configuration = try Cutting2DCoreEnv.Configuration(
            maxPiecesInInventory: 10, rawPieceSize: Cutting2DPiece(100, 20), staticDemand: [Cutting2DPiece(30, 15)])
        let env = try MazeEnv.cutting2D(configuration)
        _ = try env.reset()
        let result = try env.step(["piece_idx": .scalar(0), "cut_rotation": .scalar(1), "cut_order": .scalar(0)])
        #expect(result.reward == -2)
        #expect(result.info == ["error": "invalid_cut"])
        #expect(env.core.mazeState.inventory == [Cutting2DPiece(100, 20)])
        // the initial stocking at reset counts toward the first step
        #expect(
            env.events.lastStep.map(\.descriptor.name) == ["piece_replenished", "invalid_cut", "pieces_in_inventory"])
    }

    @Test func outOfBoundsPieceIsReportedWithoutPenalty() throws {
        let env = Cutting2DCoreEnv(try tutorialConfiguration(maxPieces: 10))
        _ = env.reset()
        let result = env.step(Cutting2DMazeAction(pieceID: 5, rotate: false, reverseCuttingOrder: false))
        #expect(result.reward == 0)
        #expect(result.info == ["error": "piece_id_out_of_bounds"])
    }

    @Test func fullInventoryDiscardsTheOldestPiece() throws {
        let env = try MazeEnv.cutting2D(try tutorialConfiguration(maxPieces: 2))
        _ = try env.reset()
        // Cutting the raw piece stores two remainders and a new raw piece: one must go.
        _ = try env.step(["piece_idx": .scalar(0), "cut_rotation": .scalar(0), "cut_order": .scalar(0)])
        #expect(env.core.mazeState.inventory == [Cutting2DPiece(30, 85), Cutting2DPiece(100, 100)])
        #expect(env.events.lastStep.filter { $0.descriptor == Cutting2DEvents.pieceDiscarded }.count == 1)
    }

    /// The tutorial's inventory would discard the raw piece here (the oldest), leaving a stock that may fit no
    /// order, so that a masked policy has no piece to choose: the raw piece stays, the oldest remainder goes.
    @Test func fullInventoryKeepsTheRawPieceInStock() throws {
        let env = try MazeEnv.cutting2D(try tutorialConfiguration(maxPieces: 2))
        _ = try env.reset()
        _ = try env.step(["piece_idx": .scalar(0), "cut_rotation": .scalar(0), "cut_order": .scalar(0)])
        #expect(env.core.mazeState.inventory == [Cutting2DPiece(30, 85), Cutting2DPiece(100, 100)])
        // The turned order (15x30) from 30x85 leaves 15x85, then 15x55: the inventory is full for the second.
        let result = try env.step(["piece_idx": .scalar(0), "cut_rotation": .scalar(1), "cut_order": .scalar(0)])
        #expect(result.reward == 0)
        #expect(env.core.mazeState.inventory == [Cutting2DPiece(100, 100), Cutting2DPiece(15, 55)])
    }

    @Test func anOrderNoRawPieceCanHoldIsRefused() throws {
        #expect(throws: MazeError.self) {
            try Cutting2DCoreEnv.Configuration(
                maxPiecesInInventory: 5, rawPieceSize: Cutting2DPiece(10, 10),
                staticDemand: [Cutting2DPiece(3, 2), Cutting2DPiece(11, 2)])
        }
        _ = try Cutting2DCoreEnv.Configuration(
            maxPiecesInInventory: 5, rawPieceSize: Cutting2DPiece(10, 20), staticDemand: [Cutting2DPiece(15, 5)])
    }

    @Test func eventsAndRawPieceUsageKPIThroughTheMazeEnv() throws {
        let env = try MazeEnv.cutting2D(try tutorialConfiguration())
        _ = try env.reset()
        let action: Action = ["piece_idx": .scalar(0), "cut_rotation": .scalar(0), "cut_order": .scalar(0)]
        for _ in 0..<15 { _ = try env.step(action) }
        #expect(env.events.steps.count == 15)
        #expect(env.events.query(Cutting2DEvents.validCut).count == 10)
        #expect(env.events.query(Cutting2DEvents.invalidCut).count == 5)
        // the initial raw piece plus the three replenishments after cutting raw pieces
        #expect(env.events.query(Cutting2DEvents.pieceReplenished).count == 4)
        #expect(env.calculateKPIs() == ["raw_piece_usage_per_step": 4.0 / 15.0])
        #expect(env.events.lastStep.last?.attributes["value"] == 10)
    }

    @Test func flatObservationFollowsTheTutorialLayout() throws {
        let env = try MazeEnv.cutting2D(try tutorialConfiguration(maxPieces: 3))
        let observation = try env.reset()
        #expect(observation.keys == ["inventory", "inventory_size", "ordered_piece"])
        #expect(try observation.require("inventory").floats == [100, 100, 0, 0, 0, 0])
        #expect(try observation.require("inventory").shape == [3, 2])
        #expect(try observation.require("inventory_size").floats == [1])
        #expect(try observation.require("ordered_piece").floats == [30, 15])
        #expect(env.observationSpace.contains(observation))
        #expect(env.actionSpace.keys == ["piece_idx", "cut_rotation", "cut_order"])
    }

    @Test func malformedActionsAndObservationsAreTypedErrors() throws {
        let env = try MazeEnv.cutting2D(try tutorialConfiguration())
        _ = try env.reset()
        #expect(throws: MazeError.self) {
            try env.step(["piece_idx": .scalar(Float.infinity), "cut_rotation": .scalar(0), "cut_order": .scalar(0)])
        }
        #expect(throws: MazeError.self) {
            try Cutting2DGreedyPolicy().computeAction(
                observation: [
                    "ordered_piece": NDArray(floats: [.nan, 1]), "selected_piece": NDArray(floats: [1, 1]),
                ],
                actorID: ActorID(stepKey: 1, agentID: 0), deterministic: true, env: nil)
        }
    }

    @Test func greedyPolicyOnTheFlatEnvCutsValidlyAndSavesRawPieces() throws {
        let env = try Registries.withMazeEnvs.makeEnv(
            "cutting_2d",
            ["max_pieces_in_inventory": 50, "raw_piece_size": [100, 100], "static_demand": [[30, 15], [15, 60]]])
        let policy = try Registries.withMazeEnvs.makePolicy("cutting_2d_greedy", for: env)
        let results = try rollout(env, policy: policy, steps: 30)
        #expect(results.allSatisfy { $0.info == ["msg": "valid_cut"] })
        let total = results.map(\.reward).reduce(0, +)
        // 15 orders of each kind cover 15 x (450 + 900) = 20250 of the 10000-unit raw pieces: at least
        // three raw pieces, and best fit should not need more than four.
        #expect(total <= -3)
        #expect(total >= -4)
    }

    @Test func badConfigurationIsATypedError() {
        #expect(throws: MazeError.self) {
            try Cutting2DCoreEnv.Configuration(
                maxPiecesInInventory: 0, rawPieceSize: Cutting2DPiece(1, 1), staticDemand: [Cutting2DPiece(1, 1)])
        }
        #expect(throws: MazeError.self) {
            try Cutting2DCoreEnv.Configuration(
                maxPiecesInInventory: 3, rawPieceSize: Cutting2DPiece(1, 1), staticDemand: [])
        }
        #expect(
            throws: ConfigError.invalidValue(
                path: "raw_piece_size", problem: "must be a pair of integers [x, y], got [100]")
        ) {
            try Cutting2DCoreEnv.Configuration(arguments: [
                "max_pieces_in_inventory": 3, "raw_piece_size": [100], "static_demand": [30, 15],
            ])
        }
    }

    @Test func renderShowsOrderActionAndInventory() throws {
        let env = try MazeEnv.cutting2D(try tutorialConfiguration())
        _ = try env.reset()
        _ = try env.step(["piece_idx": .scalar(0), "cut_rotation": .scalar(1), "cut_order": .scalar(0)])
        let picture = try #require(env.render())
        #expect(picture.contains("order 30x15"))
        #expect(picture.contains("cut piece 0 rotated, x first"))
        #expect(picture.contains("[2] 100x100 (raw)"))
    }
}

/// The tutorial's training setup from configuration: env and wrappers by name, events and KPIs in the
/// epoch statistics.
@Suite struct Cutting2DStatisticsTests {
    @Test func eventsAndKPIsReachTheLogStatistics() throws {
        let registries = Registries.withMazeEnvs
        let flat = try registries.makeEnv(
            "tutorial_maze_env.part03_maze_env.env.maze_env.maze_env_factory",
            ["max_pieces_in_inventory": 200, "raw_piece_size": [100, 100], "static_demand": [30, 15]])
        let env = try registries.wrap(
            flat,
            with: [
                (name: "maze.core.wrappers.time_limit_wrapper.TimeLimitWrapper", arguments: ["max_episode_steps": 15]),
                (name: "maze.core.wrappers.log_stats_wrapper.LogStatsWrapper", arguments: ["logging_prefix": "main"]),
            ])
        let stats = try #require(env.findWrapper(LogStatsWrapper.self))
        let action: Action = ["piece_idx": .scalar(0), "cut_rotation": .scalar(0), "cut_order": .scalar(0)]
        for _ in 0..<2 {
            _ = try env.reset()
            var done = false
            while !done { done = try env.step(action).done }
        }
        let epoch = stats.reduceEpoch()
        // per episode (the tutorial's 15 steps): 10 valid cuts, 5 invalid, 4 raw pieces (one at reset)
        #expect(epoch.value(topic: "CuttingEvents", event: "valid_cut", name: "mean_episode_total") == .number(10))
        #expect(epoch.value(topic: "CuttingEvents", event: "invalid_cut", name: "mean_episode_total") == .number(5))
        #expect(
            epoch.value(topic: "InventoryEvents", event: "piece_replenished", name: "mean_episode_total") == .number(4))
        #expect(epoch.value(topic: "InventoryEvents", event: "pieces_in_inventory", name: "step_max") == .number(10))
        let usage = try #require(
            epoch.value(topic: "BaseEnvEvents", event: "kpi", name: "mean/raw_piece_usage_per_step"))
        #expect(abs(usage.scalar - 4.0 / 15.0) < 1e-12)
    }
}
