import MazeCore
import MazeEnvs
import Testing

@Suite struct Cutting2DRewardAggregatorTests {
    private func makeEnv(rewardAggregator: ConfigNode?) throws -> any StructuredEnv {
        var arguments = ConfigMap([
            ("max_pieces_in_inventory", 10), ("raw_piece_size", [100, 100]), ("static_demand", [30, 15]),
        ])
        arguments["reward_aggregator"] = rewardAggregator
        return try Registries.withMazeEnvs.makeEnv("cutting_2d", ConfigSection(root: .map(arguments)))
    }

    private func step(_ env: any StructuredEnv, piece: Int) throws -> Double {
        try env.step(["piece_idx": .scalar(piece), "cut_rotation": .scalar(0), "cut_order": .scalar(0)]).reward
    }

    @Test func defaultRewardAggregatorSumsThePenaltiesOfTheStepsEvents() throws {
        let env = try makeEnv(rewardAggregator: [
            "_target_": "maze_envs.logistics.cutting_2d.reward.default.DefaultRewardAggregator",
            "invalid_action_penalty": -5, "raw_piece_usage_penalty": -3,
        ])
        _ = try env.reset()
        #expect(try step(env, piece: 0) == -3)  // cuts the raw piece: one replenished
        #expect(try step(env, piece: 9) == -5)  // no piece 9: an invalid selection, free without the aggregator
        // the tutorial's penalties when only the target is given
        let tutorial = try makeEnv(rewardAggregator: ["_target_": "DefaultRewardAggregator"])
        _ = try tutorial.reset()
        #expect(try step(tutorial, piece: 9) == -2)
        let builtIn = try makeEnv(rewardAggregator: nil)
        _ = try builtIn.reset()
        #expect(try step(builtIn, piece: 9) == 0)
    }

    @Test func unknownAggregatorSettingsAreRefusedByName() throws {
        #expect {
            try makeEnv(rewardAggregator: ["_target_": "DefaultRewardAggregator", "invalid_penalty": -1])
        } throws: { error in
            "\(error)".contains(
                "reward_aggregator.invalid_penalty: unknown key; known keys: _target_, invalid_action_penalty")
        }
        #expect {
            try makeEnv(rewardAggregator: ["_target_": "my_project.MyAggregator"])
        } throws: { error in
            "\(error)".contains("reward_aggregator._target_: 'my_project.MyAggregator' is not available")
        }
    }
}
