import MazeCore
import MazeTensor
import Testing

@testable import MazeTrain

/// The replay buffer keeps the newest `capacity` transitions, samples only stored ones, refuses a
/// size above its memory budget naming the key, and the soft target update blends by τ.
@Suite struct ReplayBufferTests {
    static func rollout(steps: Int, firstReward: Float) throws -> RolloutBuffer {
        var buffer = try RolloutBuffer(stepCount: steps, envCount: 1, observationWidth: 2, actionWidth: 1)
        for step in 0..<steps {
            let value = firstReward + Float(step)
            buffer.recordDecision(step: step, observations: [value, -value], actions: [value * 10], logProbs: [0])
            buffer.recordOutcome(
                step: step, rewards: [value], terminated: [step == steps - 1], truncated: [false],
                successors: [value + 1, -value - 1])
        }
        return buffer
    }

    @Test func keepsTheNewestTransitionsAndSamplesThemWhole() throws {
        var replay = try ReplayBuffer(capacity: 4, observationWidth: 2, actionWidth: 1)
        try replay.append(Self.rollout(steps: 3, firstReward: 0))
        try replay.append(Self.rollout(steps: 3, firstReward: 100))
        #expect(replay.count == 4)
        var random = MazeRandom(seed: 3)
        let batch = replay.sample(64, random: &random)
        #expect(batch.rewards.count == 64 && batch.observations.count == 128 && batch.actions.count == 64)
        // Rewards 0 and 1 were overwritten; every row is one consistent transition.
        #expect(Set(batch.rewards).isSubset(of: [2, 100, 101, 102]))
        for row in 0..<64 {
            let r = batch.rewards[row]
            #expect(
                batch.observations[2 * row] == r && batch.successorObservations[2 * row] == r + 1
                    && batch.actions[row] == r * 10)
            #expect(batch.terminated[row] == (r == 2 || r == 102))
        }
    }

    @Test func refusesABufferAboveTheMemoryBudgetNamingTheKey() {
        #expect(throws: TrainError.self) { try ReplayBuffer(capacity: 1 << 40, observationWidth: 3, actionWidth: 1) }
        do {
            _ = try ReplayBuffer(capacity: 100_000_000, observationWidth: 17, actionWidth: 6)
            Issue.record("a 15 GB buffer was accepted")
        } catch {
            #expect("\(error)".hasPrefix("algorithm.replay_buffer_size:"))
        }
    }

    @Test func softUpdateBlendsByTau() throws {
        var target = ParameterStore(["w": try Tensor(shape: [2], scalars: [0, 10])])
        let online = ParameterStore(["w": try Tensor(shape: [2], scalars: [1, 0])])
        try SoftBellman.softUpdate(&target, toward: online, tau: 0.25)
        #expect(target["w"]?.scalars == [0.25, 7.5])
    }
}
