import MazeCore
import MazePerception
import MazeService
import MazeTrain
import MazeWire

/// Evolution Strategies on the service (docs/ES.md): the actors evaluate antithetic pairs around the broadcast
/// `θ` and push their results (``ESResultBatch``); an update takes ``ESUpdatePlan/batchesPerUpdate`` batches of
/// the current policy version and applies ``MazeTrain/EvolutionStrategies``' step — the one `runner=dev` applies —
/// to their pairs.
///
/// Results that do not fit (a noise index outside the table, rows that disagree, episodes that do not match the
/// columns) are left out of the update, counted by reason and logged the first time; the update goes on with the
/// rest. Each update logs its pairs and env steps, with the running totals.
///
/// Threading: used on the learner's service thread only.
struct ESTraining: LearnerTraining {
    let evolution: EvolutionStrategies
    let needs: ServiceNeeds
    /// Env steps of the pairs trained on so far (the perturbed episodes; evaluation not included).
    private(set) var envSteps = 0
    /// Result batches left out of updates, by reason (``ESResultBatch/Problem/reason``).
    private(set) var rejections: [String: Int] = [:]
    private let log: @Sendable (String) -> Void

    /// The ES of `config`: its settings and the shared noise table (generated here, as on every actor); `log`
    /// receives the update lines.
    init(_ config: ExperimentConfig, log: @escaping @Sendable (String) -> Void) throws {
        let settings = try config.esSettings()
        evolution = EvolutionStrategies(settings, noise: SharedNoiseTable(count: settings.sharedNoiseTableSize))
        needs = ESUpdatePlan(settings).serviceNeeds
        self.log = log
    }

    var algorithm: any TrainingAlgorithm { evolution }

    /// The result layout (``ESResultBatch``); fails naming `runner.shared_noise_table_size` when the table is
    /// smaller than the policy.
    func batchSchema(env: any StructuredEnv, model: ActorCriticModel) throws -> BatchSchema {
        _ = try evolution.policyDimension(of: model)
        return ESResultBatch.schema
    }

    mutating func update(_ session: TrainingSession<ActorCriticModel>, with batches: [TrajectoryBatch]) throws
        -> [TrajectoryBatch]
    {
        let dimension = try evolution.policyDimension(of: session.model)
        var results: [EvolutionStrategies.PairResult] = []
        var accepted: [TrajectoryBatch] = []
        var steps = 0
        for batch in batches {
            do {
                let (pairs, batchSteps) = try ESResultBatch.results(
                    of: batch, dimension: dimension, tableSize: evolution.noise.values.count)
                results += pairs
                steps = Self.add(steps, batchSteps)
                accepted.append(batch)
            } catch {
                rejections[error.reason, default: 0] += 1
                if rejections[error.reason] == 1 {
                    log("rejected ES results from '\(batch.actorID)' (\(error)); further ones are only counted")
                }
            }
        }
        try session.update(rolloutSeconds: nil, samples: 2 * results.count, validate: Self.guardNumerics) {
            [evolution] model, optimizer, _, statistics in
            try evolution.update(&model, optimizer: &optimizer, results: results, statistics: &statistics)
        }
        envSteps = Self.add(envSteps, steps)
        let rejected = rejections.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        log(
            "ES update \(session.epoch + 1): \(results.count) pairs, \(steps) env steps (\(envSteps) in total)"
                + (rejected.isEmpty ? "" : "; result batches rejected so far: \(rejected.joined(separator: ", "))"))
        return accepted
    }

    private static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }
}
