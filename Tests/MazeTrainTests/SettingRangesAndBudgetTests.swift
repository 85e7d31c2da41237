import MazeConfig
import MazeCore
import MazePerception
import Testing

@testable import MazeTrain

/// Every count has an upper bound, and the memory estimate refuses networks that cannot fit before they are
/// allocated (issue 14).
@Suite struct SettingRangesAndBudgetTests {
    private static func algorithm(_ yaml: String) throws -> ConfigSection {
        try ConfigSection(root: ConfigNode(yaml: "algorithm: {\(yaml)}")).section("algorithm")
    }

    @Test(
        "Counts beyond their range are refused by key, the Int.max queue factor included",
        arguments: [
            ("n_rollout_steps: 1000000000", "algorithm.n_rollout_steps"),
            ("queue_out_of_sync_factor: 9223372036854775807", "algorithm.queue_out_of_sync_factor"),
            ("actors_batch_size: 1000000", "algorithm.actors_batch_size"),
            ("max_policy_lag: -1", "algorithm.max_policy_lag"),
            ("max_policy_lag: 9223372036854775807", "algorithm.max_policy_lag"),
            ("rollout_evaluator: {n_episodes: 100000000}", "algorithm.rollout_evaluator.n_episodes"),
        ])
    func outOfRangeCountsAreRefused(setting: String, key: String) throws {
        let section = try Self.algorithm(setting)
        #expect {
            try IMPALASettings(section)
        } throws: { error in
            guard case .invalidValue(let named, let problem) = error as? ConfigError else { return false }
            return named == key && problem.hasPrefix("must lie in")
        }
    }

    @Test("IMPALA's accepted policy lag is max_policy_lag when set, else Maze's queue bound")
    func acceptedPolicyLag() throws {
        #expect(try IMPALASettings(Self.algorithm("")).acceptedPolicyLag == 1 + 8 / 8)
        #expect(
            try IMPALASettings(Self.algorithm("max_policy_lag: ~, queue_out_of_sync_factor: 3, num_actors: 16"))
                .acceptedPolicyLag == 3 + 16 / 8)
        #expect(try IMPALASettings(Self.algorithm("max_policy_lag: 0")).acceptedPolicyLag == 0)
        #expect(
            try IMPALASettings(Self.algorithm("max_policy_lag: 5, queue_out_of_sync_factor: 3")).acceptedPolicyLag == 5)
    }

    @Test("The estimate of a 100000-unit network exceeds a 4 GiB budget, Maze's default model fits in a few MiB")
    func memoryEstimate() throws {
        let spaces: [StepKey: DictSpace] = [0: ["observation": Space.box(try BoxSpace(low: -1, high: 1, shape: [4]))]]
        let actions: [StepKey: DictSpace] = [0: ["action": Space.discrete(2)]]
        let budget = MemoryBudget(mebibytes: MemoryBudget.defaultMiB)
        let standard = TrainingMemoryEstimate(
            recipe: .flattenConcat(hiddenUnits: [256, 256]), observationSpaces: spaces, actionSpaces: actions,
            rolloutRows: 100 * 8, heldRollouts: 1)
        // Two trunks of (4+1)·256 + (256+1)·256 parameters.
        #expect(standard.parameters == 2 * (5 * 256 + 257 * 256))
        #expect(standard.totalBytes < 16 << 20)
        try budget.check(standard)
        let huge = TrainingMemoryEstimate(
            recipe: .flattenConcat(hiddenUnits: [100_000, 100_000]), observationSpaces: spaces, actionSpaces: actions,
            rolloutRows: 100, heldRollouts: 1)
        #expect(huge.parameters > 20_000_000_000)
        #expect {
            try budget.check(huge)
        } throws: { error in
            "\(error)".contains("over the memory budget of 4096 MiB")
                && "\(error)".contains("\(huge.parameters) network parameters")
        }
        // Sizes that overflow saturate instead of trapping.
        let absurd = TrainingMemoryEstimate(
            recipe: .flattenConcat(hiddenUnits: [Int.max / 2, Int.max / 2]), observationSpaces: spaces,
            actionSpaces: actions,
            rolloutRows: Int.max, heldRollouts: Int.max)
        #expect(absurd.totalBytes == Int.max)
    }
}
