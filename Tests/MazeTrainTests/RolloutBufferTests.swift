import MazeCore
import MazeEnvs
import Testing

@testable import MazeTrain

/// The rollout buffer records a real vector env: successors are the next observation within an episode
/// and the final observation where an episode ended (truncation by CartPole's time limit included).
@Suite struct RolloutBufferTests {
    @Test func successorsAreFinalObservationsAtEpisodeEnds() throws {
        let registries = Registries.withMazeEnvs
        let envs = try (0..<2).map { _ in try registries.makeEnv("CartPole-v1", ["max_episode_steps": .int(5)]) }
        let vector = try SequentialVectorEnv(envs: envs)
        try vector.reset(seed: 3)
        var buffer = try RolloutBuffer(stepCount: 7, env: vector)
        var finals: [Int: [Float]] = [:]
        var nextRows: [[Float]] = []
        for step in 0..<7 {
            let actions: [Float] = [Float(step % 2), 1]
            buffer.recordDecision(
                step: step, observations: vector.observations, actions: actions, logProbs: [-0.5, -0.7])
            vector.actions = actions
            try vector.step()
            buffer.recordOutcome(step: step, from: vector)
            for env in 0..<2 where vector.dones[env] {
                finals[step * 2 + env] = Array(vector.finalObservations[env * 4..<(env + 1) * 4])
            }
            nextRows.append(vector.observations)
        }
        #expect(buffer.truncated.contains(true))
        for row in 0..<buffer.count {
            let successor = Array(buffer.successorObservations[row * 4..<(row + 1) * 4])
            let (step, env) = row.quotientAndRemainder(dividingBy: 2)
            let expected = finals[row] ?? Array(nextRows[step][env * 4..<(env + 1) * 4])
            #expect(successor == expected)
            if step + 1 < 7, finals[row] == nil {
                #expect(successor == Array(buffer.observations[(row + 2) * 4..<(row + 3) * 4]))
            }
        }
        #expect(buffer.behaviourLogProbs.prefix(2) == [-0.5, -0.7])
    }
}
