import MazeCore

/// Step 2 of ``EvolutionStrategies`` in this process (Maze's `ESDummyDistributedRollouts`): antithetic pairs are
/// evaluated one episode each way in one training env until the update has `n_rollouts_per_update` episodes and
/// `n_timesteps_per_update` env steps.
///
/// Both episodes of a pair start from the same env seed (common random numbers), so their difference measures the
/// perturbation rather than the starting state. Actions are the policy's modes, as a perturbed policy is scored by
/// what it does rather than by sampling noise.
///
/// The learner service's actors evaluate their share of an update's pairs with the same code (`ESActingPolicy`).
///
/// Threading: one thread; the env is this value's own.
package struct ESRollouts {
    /// What one update's rollouts produced.
    package struct Batch {
        package var results: [EvolutionStrategies.PairResult] = []
        /// The length of each episode, pair by pair: `θ + σε` first, then `θ − σε`.
        package var episodeLengths: [Int] = []
        /// Whether each episode (in the order of ``episodeLengths``) ended in a terminal state rather than being cut
        /// off (time limit, `max_steps`).
        package var terminated: [Bool] = []
        package var episodes = 0
        package var envSteps = 0
    }

    private let batch: StructuredEnvBatch

    /// Rollouts in `env` (wrap it in a `LogStatsWrapper` with prefix `train` for the table).
    package init(env: any StructuredEnv) throws {
        batch = try StructuredEnvBatch(envs: [env])
    }

    /// The training env, for its statistics and normalization wrappers.
    package var env: any StructuredEnv { batch.envs[0] }

    /// Evaluates pairs around `model`'s policy, noise indices and env seeds drawn from `random`.
    package func collect<Model: ActorCritic>(
        around model: Model, algorithm: EvolutionStrategies, random: inout MazeRandom
    ) throws -> Batch {
        let settings = algorithm.settings
        let policy = PolicyParameters(of: model)
        let theta = try policy.flat(of: model)
        var perturbed = model
        var collected = Batch()
        while collected.episodes < settings.nRolloutsPerUpdate || collected.envSteps < settings.nTimestepsPerUpdate {
            let noiseIndex = try algorithm.noise.sampleIndex(dimension: theta.count, random: &random)
            let envSeed = random.nextSeed()
            var returns: [Double] = []
            for sign: Float in [1, -1] {
                try policy.assign(
                    flat: algorithm.perturbed(theta, noiseIndex: noiseIndex, sign: sign), to: &perturbed)
                let episode = try runEpisode(perturbed, seed: envSeed, maxSteps: settings.maxSteps, random: &random)
                returns.append(episode.return)
                collected.episodeLengths.append(episode.steps)
                collected.terminated.append(episode.terminated)
                collected.envSteps += episode.steps
            }
            collected.episodes += 2
            collected.results.append(.init(noiseIndex: noiseIndex, positive: returns[0], negative: returns[1]))
        }
        return collected
    }

    /// One episode with `model`'s deterministic actions, cut after `maxSteps` decisions when positive.
    private func runEpisode(
        _ model: some ActorCritic, seed: UInt64, maxSteps: Int, random: inout MazeRandom
    ) throws -> (return: Double, steps: Int, terminated: Bool) {
        try batch.reset(seed: seed)
        var total = 0.0
        var steps = 0
        while maxSteps == 0 || steps < maxSteps {
            let decision = try batch.runCycle(model: model, deterministic: true, random: &random)
            total += Double(decision.rewards[0])
            steps += 1
            if decision.terminated[0] { return (total, steps, true) }
            if decision.truncated[0] { break }
        }
        return (total, steps, false)
    }
}
