import MazeBaselines
import MazeEnvs
import Testing

/// The C baseline must be the same physics as the Swift env, or the benchmark compares different work.
@Suite struct CartPoleBaselineTests {
    @Test func cStepMatchesSwiftStepBitForBit() throws {
        let fixture = try GymnasiumFixture.load("CartPole-v1.json")
        for recorded in fixture.episodes {
            var swift = try CartPole(stateVector: recorded.startState)
            let v = recorded.startState
            var c = maze_cartpole_state(x: v[0], x_dot: v[1], theta: v[2], theta_dot: v[3])
            var observation = [Float](repeating: 0, count: 4)
            for action in recorded.actions {
                let swiftTransition = try swift.step(Int(action))
                let cTerminated = maze_cartpole_step(&c, Int32(action), &observation)
                #expect(swift.stateVector == [c.x, c.x_dot, c.theta, c.theta_dot])
                #expect(swift.observation == observation)
                #expect(swiftTransition.terminated == (cTerminated == 1))
            }
        }
    }

    @Test func timedLoopRunsAndReportsARate() {
        var checksum = 0.0
        let rate = maze_cartpole_run(10_000, 1, &checksum)
        #expect(rate > 0)
        #expect(checksum.isFinite)
        #expect(checksum != 0)
    }
}
