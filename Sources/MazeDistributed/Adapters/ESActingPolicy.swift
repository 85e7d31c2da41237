import MazeCore
import MazePerception
import MazeService
import MazeTrain
import MazeWire

/// The acting half of an Evolution Strategies experiment (docs/ES.md): it follows the broadcast `θ`, evaluates
/// antithetic pairs `θ ± σε` for full episodes with the code `runner=dev` uses (``MazeTrain/ESRollouts``), and
/// returns their results as an ``ESResultBatch``.
///
/// Each batch holds its share of an update (``ESUpdatePlan``). The noise indices and the episodes' env seeds are
/// drawn from a generator seeded by the worker id, the policy version, the batch's number within that version and
/// the config's `seeding.env_base_seed`: workers draw different pairs without coordination, and a worker
/// evaluating the same batch again evaluates the same pairs. The noise table is generated here from the shared
/// seed and size (`runner.shared_noise_table_size`), as on the learner; it never travels. Episodes are evaluated
/// one at a time in one env, whatever `maze actor --envs` says.
///
/// Threading: one thread (the worker's).
public struct ESActingPolicy: ActingPolicy {
    private let algorithm: EvolutionStrategies
    private let rollouts: ESRollouts
    private var model: ActorCriticModel
    private let baseSeed: UInt64
    /// The version of the latest batch and how many batches were collected with it.
    private var batchesOfVersion: (version: UInt64, count: UInt64) = (0, 0)

    /// Builds the env, the policy and the noise table of `config`, an `algorithm=es` experiment.
    public init(config: ExperimentConfig) throws {
        let settings = try config.esSettings()
        algorithm = EvolutionStrategies(
            ESUpdatePlan(settings).batchSettings, noise: SharedNoiseTable(count: settings.sharedNoiseTableSize))
        let env = try config.makeEnv()
        rollouts = try ESRollouts(env: env)
        model = try ActorCriticModel(recipe: config.esPolicyRecipe(), env: env, seed: 0)
        _ = try algorithm.policyDimension(of: model)
        baseSeed = try config.envBaseSeed(fallback: 0)
    }

    public mutating func apply(_ update: PolicyUpdate) throws {
        try WeightsCoding.assign(update.weights, to: &model.parameters)
        if let statistics = try WeightsCoding.normalization(update.auxiliary) {
            rollouts.env.findWrapper(ObservationNormalizationWrapper.self)?.statistics = statistics
        }
    }

    public mutating func collect(_ identity: RolloutIdentity) throws -> TrajectoryBatch {
        let version = identity.policyVersion
        let batch = batchesOfVersion.version == version ? batchesOfVersion.count : 0
        batchesOfVersion = (version, batch + 1)
        var random = MazeRandom(
            seed: Self.seed(actorID: identity.actorID, version: version, batch: batch, base: baseSeed))
        return try ESResultBatch.batch(rollouts.collect(around: model, algorithm: algorithm, random: &random), identity)
    }

    /// The env steps of the batch's perturbed episodes, from their lengths (its rows are episodes, not steps).
    public func envSteps(in batch: TrajectoryBatch) -> Int { ESResultBatch.envSteps(of: batch) }

    /// The seed of batch `batch` of worker `actorID` at policy `version`: its FNV-1a hash, then each number, mixed in
    /// through ``MazeCore/MazeRandom``'s seeding.
    static func seed(actorID: String, version: UInt64, batch: UInt64, base: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in actorID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var seed = hash
        for value in [base, version, batch] {
            var random = MazeRandom(seed: seed ^ value)
            seed = random.next()
        }
        return seed
    }
}
