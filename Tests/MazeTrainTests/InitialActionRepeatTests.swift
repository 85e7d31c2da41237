import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import MazeTensor
import Synchronization
import Testing

@testable import MazeTrain

/// SAC's `initial_sampling_policy.action_repeat`: the dev runner's initial random steps hold each env's uniformly
/// random action for that many decisions.
struct InitialActionRepeatTests {
    /// Keeps the actions of the rollouts the runner hands over before training (its warm-up, `trainPolicy: false`)
    /// and trains nothing.
    final class InitialActionsRecorder: ActorCriticAlgorithm, Sendable {
        let common: ActorCriticSettings
        let initialRandomSteps: Int
        let initialRandomActionRepeat: Int
        private let recorded = Mutex<[Float]>([])

        init(steps: Int, actionRepeat: Int) {
            var common = ActorCriticSettings.sacDefaults
            (common.nEpochs, common.epochLength, common.rolloutEvaluator.nEpisodes) = (1, 1, 1)
            self.common = common
            (initialRandomSteps, initialRandomActionRepeat) = (steps, actionRepeat)
        }

        /// The warm-up rollouts' actions, row after row (one row per env and step).
        var actions: [Float] { recorded.withLock { $0 } }

        func makeOptimizer() -> Adam { Adam(learningRate: .constant(common.lr)) }

        func serviceNeeds(_ section: ConfigSection) throws -> ServiceNeeds {
            ServiceNeeds(actorsBatchSize: 1, staleness: .currentVersion)
        }

        func update(
            _ rollout: RolloutBuffer, model: inout some ActorCritic, optimizer: inout Adam, random: inout MazeRandom,
            trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
        ) throws {
            if !trainPolicy { recorded.withLock { $0 += rollout.actions } }
        }
    }

    /// The initial random actions of two MountainCarContinuous-v0 envs for 60 steps.
    static func initialActions(actionRepeat: Int) throws -> [Float] {
        let recorder = InitialActionsRecorder(steps: 120, actionRepeat: actionRepeat)
        var options = DevRunner<ActorCriticModel>.Options()
        options.seed = 3
        options.log = { _ in }
        let registries = Registries.withMazeEnvs
        let runner = try DevRunner.make(
            makeEnv: { try registries.makeEnv("MountainCarContinuous-v0") },
            algorithm: recorder, recipe: .flattenConcat(hiddenUnits: [4]), envCount: 2, options: options)
        _ = try runner.train()
        return recorder.actions
    }

    @Test func initialRandomActionsAreHeldForActionRepeatSteps() throws {
        let held = try Self.initialActions(actionRepeat: 20)
        #expect(held.count == 120)
        // Rows are [step][env]: env e's action at step t is held[2t + e]; blocks of 20 steps share one action.
        for env in 0..<2 {
            let actions = stride(from: env, to: held.count, by: 2).map { held[$0] }
            let blocks = stride(from: 0, to: 60, by: 20).map { Array(actions[$0..<($0 + 20)]) }
            #expect(blocks.allSatisfy { Set($0).count == 1 }, "\(actions)")
            #expect(Set(blocks.map { $0[0] }).count == 3)
            #expect(actions.allSatisfy { (-1...1).contains($0) })
        }
        #expect(held[0] != held[1])
        // Without it (Maze's RandomPolicy) every step draws afresh.
        let fresh = try Self.initialActions(actionRepeat: 1)
        #expect(Set(fresh).count == fresh.count)
    }

    @Test func actionRepeatIsReadFromInitialSamplingPolicyAndChecked() throws {
        let section = try ConfigSection(
            root: ConfigNode(yaml: "algorithm: {initial_sampling_policy: {_target_: RandomPolicy, action_repeat: 20}}")
        ).section("algorithm")
        #expect(try SACSettings(section).initialSamplingActionRepeat == 20)
        #expect(SoftActorCritic(try SACSettings(section)).initialRandomActionRepeat == 20)
        let zero = try ConfigSection(root: ConfigNode(yaml: "algorithm: {initial_sampling_policy: {action_repeat: 0}}"))
            .section("algorithm")
        #expect(throws: (any Error).self) { try SACSettings(zero) }
        do {
            _ = try SACSettings(zero)
        } catch {
            #expect("\(error)".hasPrefix("algorithm.initial_sampling_policy.action_repeat:"), "\(error)")
        }
    }
}
