import MazeCore
import Testing

@testable import MazeEnvs

@Suite struct StructuredCutting2DTests {
    /// The "simple problem" of the structured tutorial: two orders in turn.
    private func makeEnv(masked: Bool, maxPieces: Int = 10) throws -> StructuredCutting2DEnv {
        let configuration = try Cutting2DCoreEnv.Configuration(
            maxPiecesInInventory: maxPieces, rawPieceSize: Cutting2DPiece(100, 50),
            staticDemand: [Cutting2DPiece(30, 15), Cutting2DPiece(20, 40)])
        return try StructuredCutting2DEnv(try MazeEnv.cutting2D(configuration), masked: masked)
    }

    @Test func subStepsAlternateSpacesAndRewardComesWithTheCut() throws {
        let env = try makeEnv(masked: false)
        let first = try env.reset()
        #expect(env.actorID == ActorID(stepKey: 0, agentID: 0))
        #expect(env.agentCounts == [0: 1, 1: 1])
        #expect(first.keys == ["inventory", "inventory_size", "ordered_piece"])
        #expect(env.actionSpace.keys == ["piece_idx"])

        let selection = try env.step(["piece_idx": .scalar(0)])
        #expect(selection.reward == 0)
        #expect(env.actorID.stepKey == 1)
        #expect(selection.observation.keys == ["selected_piece", "ordered_piece"])
        #expect(try selection.observation.require("selected_piece").floats == [100, 50])
        #expect(env.actionSpace.keys == ["cut_rotation", "cut_order"])

        let cut = try env.step(["cut_rotation": .scalar(0), "cut_order": .scalar(0)])
        #expect(cut.reward == -1)
        #expect(env.actorID.stepKey == 0)
        #expect(try cut.observation.require("ordered_piece").floats == [20, 40], "the next order is issued")
    }

    /// A small inventory that fills up: every selection observation still allows a piece (the raw one at least).
    @Test func theInventoryMaskAlwaysAllowsAPiece() throws {
        let env = try makeEnv(masked: true, maxPieces: 3)
        var observation = try env.reset()
        for _ in 0..<300 {
            let mask = try observation.require("inventory_mask").floats
            let allowed = try #require(mask.indices.last { mask[$0] == 1 }, "no piece allowed in \(observation)")
            let cutting = try env.step(["piece_idx": .scalar(allowed)]).observation
            let rotation = try #require(try cutting.require("cutting_mask").floats.lastIndex(of: 1))
            observation = try env.step(["cut_rotation": .scalar(rotation), "cut_order": .scalar(1)]).observation
        }
    }

    @Test func maskedObservationsCarryStepConditionalMasks() throws {
        let env = try makeEnv(masked: true, maxPieces: 4)
        let first = try env.reset()
        #expect(try first.require("inventory_mask").floats == [1, 0, 0, 0])
        #expect(env.observationSpace.contains(first))
        // Cutting the 30x15 order turned (15x30), second axis first, from 100x50 leaves 100x20 and
        // 85x30; the next order 20x40 fits both only turned, and the raw piece either way.
        _ = try env.step(["piece_idx": .scalar(0)])
        let afterCut = try env.step(["cut_rotation": .scalar(1), "cut_order": .scalar(1)])
        #expect(try afterCut.observation.require("inventory").floats == [100, 20, 85, 30, 100, 50, 0, 0])
        #expect(try afterCut.observation.require("inventory_mask").floats == [1, 1, 1, 0])
        let cutting = try env.step(["piece_idx": .scalar(0)])
        #expect(try cutting.observation.require("cutting_mask").floats == [0, 1])
        #expect(env.observationSpace.contains(cutting.observation))
    }

    @Test func maskedRandomPolicyNeverSamplesAMaskedAction() throws {
        // A large inventory keeps a raw piece in stock, so some choice is always allowed.
        let env = try makeEnv(masked: true, maxPieces: 300)
        let policy = RandomPolicy(
            actionSpaces: env.actionSpaces, maskKeys: ["piece_idx": "inventory_mask", "cut_rotation": "cutting_mask"],
            seed: 7)
        let results = try rollout(env, policy: policy, steps: 200, deterministic: false) {
            observation, actorID, action in
            let (actionKey, maskKey) =
                actorID.stepKey == 0 ? ("piece_idx", "inventory_mask") : ("cut_rotation", "cutting_mask")
            let mask = try observation.require(maskKey)
            #expect(mask.floats.contains(1), "some choice is allowed")
            #expect(mask.float(at: try action.require(actionKey).int(at: 0)) == 1)
        }
        let rewards = results.map(\.reward)
        #expect(!rewards.contains(-2), "masked choices never lead to an invalid cut")
        #expect(env.flatEnv.events.query(Cutting2DEvents.invalidPieceSelected).isEmpty)
    }

    @Test func unmaskedRandomChoicesDoHitInvalidCuts() throws {
        let env = try makeEnv(masked: false)
        let policy = RandomPolicy(actionSpaces: env.actionSpaces, seed: 7)
        let invalid = try rollout(env, policy: policy, steps: 200, deterministic: false).filter { $0.reward == -2 }
            .count
        #expect(invalid > 0, "without masks the same sampler makes invalid cuts, so the masked test is meaningful")
    }

    @Test func greedyPolicyUsesRemaindersBeforeRawPieces() throws {
        let env = try makeEnv(masked: true, maxPieces: 20)
        let policy = Cutting2DGreedyPolicy()
        let total = try rollout(env, policy: policy, steps: 2 * 12).map(\.reward).reduce(0, +)
        // Twelve orders of 30x15 and 20x40 (6 x 1250 = 7500 area units) need at least two 100x50 raw
        // pieces; best fit stays close to that (at most one raw piece per pair of orders) and never
        // cuts invalidly.
        #expect(total <= -2)
        #expect(total >= -6)
        #expect(env.flatEnv.events.query(Cutting2DEvents.invalidCut).isEmpty)
    }

    @Test func outOfRangeSelectionIsATypedError() throws {
        let env = try makeEnv(masked: false)
        _ = try env.reset()
        #expect(throws: MazeError.self) { try env.step(["piece_idx": .scalar(99)]) }
    }
}
