import Dispatch
import Foundation
import MazeCore
import Synchronization

/// Evaluates snapshots of a model on a thread of its own, so that a learner keeps updating meanwhile.
///
/// The thread builds its evaluator (and with it its env) from `makeEvaluator` and keeps it: the env never leaves
/// that thread. Jobs carry copies (the model is a value, the normalization statistics too) and are evaluated in
/// submission order; an evaluation of a snapshot gives what ``RolloutEvaluator/evaluate(_:)`` gives on the
/// training thread, because every evaluation starts from the evaluator's fixed seeds.
///
/// Threading: `submit` and `takeOutcome` may be called from any thread; the evaluation thread ends when this
/// object is released (after the job it is running).
final class BackgroundEvaluation: Sendable {
    struct Job: Sendable {
        let epoch: Int
        let model: any ActorCritic & Sendable
        let normalization: NormalizationStatistics?
    }

    struct Outcome: Sendable {
        let epoch: Int
        let result: Result<(meanReturn: Double, stats: LogStats), any Error>
        /// When the evaluation completed: the end of its epoch.
        let finished: ContinuousClock.Instant
    }

    /// What the two threads share.
    private final class Shared: Sendable {
        struct State {
            var jobs: [Job] = []
            var outcomes: [Outcome] = []
            var closed = false
        }

        let state = Mutex(State())
        let jobAvailable = DispatchSemaphore(value: 0)
        let outcomeAvailable = DispatchSemaphore(value: 0)
    }

    private let shared = Shared()

    init(makeEvaluator: @escaping @Sendable () throws -> RolloutEvaluator) {
        Thread.detachNewThread { [shared] in
            Self.serve(shared, makeEvaluator: makeEvaluator)
        }
    }

    deinit {
        shared.state.withLock { $0.closed = true }
        shared.jobAvailable.signal()
    }

    func submit(_ job: Job) {
        shared.state.withLock { $0.jobs.append(job) }
        shared.jobAvailable.signal()
    }

    /// The oldest completed evaluation; with `waiting`, waits for one when none is ready (a job must be pending).
    func takeOutcome(waiting: Bool) -> Outcome? {
        if waiting {
            shared.outcomeAvailable.wait()
        } else if shared.outcomeAvailable.wait(timeout: .now()) == .timedOut {
            return nil
        }
        return shared.state.withLock { $0.outcomes.removeFirst() }
    }

    private static func serve(_ shared: Shared, makeEvaluator: @Sendable () throws -> RolloutEvaluator) {
        let evaluator = Result { try makeEvaluator() }
        let normalization = (try? evaluator.get())?.normalizationWrappers ?? []
        while true {
            shared.jobAvailable.wait()
            let next: Job?? = shared.state.withLock { state in
                state.closed ? .none : .some(state.jobs.isEmpty ? nil : state.jobs.removeFirst())
            }
            guard let job = next else { return }
            guard let job else { continue }
            let result = Result {
                let evaluator = try evaluator.get()
                for wrapper in normalization { wrapper.statistics = job.normalization }
                return try evaluator.evaluate(job.model)
            }
            let outcome = Outcome(epoch: job.epoch, result: result, finished: ContinuousClock.now)
            shared.state.withLock { $0.outcomes.append(outcome) }
            shared.outcomeAvailable.signal()
        }
    }
}
