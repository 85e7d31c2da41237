import Foundation
import MazeCore
import MazeTestSupport
import Testing

@testable import MazeRun

/// The shipped MinAtar configs (`conf/env/minatar.yaml`, `conf/wrappers/minatar.yaml`, `conf/model/minatar.yaml`)
/// compose into a bridged Breakout whose 10 × 10 grids reach the model channels first, as 0/1 values, and its
/// legacy seeding (`numpy.random.RandomState`, 32 bits) takes swift-maze's 64-bit env seeds.
@Suite(.serialized) struct MinAtarConfigTests {
    @Test func breakoutReachesTheModelChannelsFirst() throws {
        try PythonInterop.requireModules(["minatar", "maze_gym_bridge"])
        let composed = try RunTestSupport.composer.compose(
            rootConfig: "conf_train", overrides: ["+experiment=minatar_breakout_ppo", "runner=dev", "+env.n_servers=1"])
        let setup = try TrainingSetup(composed)
        let env = try setup.makeEnv()
        #expect(env.observationSpace["observation-transpose"]?.shape == [4, 10, 10])
        #expect(env.actionSpace["action"] == .discrete(3))
        #expect(env.findWrapper(TimeLimitWrapper.self)?.maxEpisodeSteps == 1000)
        env.seed(UInt64.max - 7)
        let grid = try env.reset().require("observation-transpose").floats
        #expect(grid.count == 400)
        #expect(grid.allSatisfy { $0 == 0 || $0 == 1 })
        // Breakout starts with three rows of bricks (channel 3, rows 1–3) and the paddle (channel 0, row 9).
        #expect(grid[300..<400].reduce(0, +) == 30)
        #expect(grid[90..<100].reduce(0, +) == 1)
    }
}
