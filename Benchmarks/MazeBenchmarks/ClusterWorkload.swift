import Foundation
import MazeConfig
import MazeCore
import MazeDistributed
import MazePerception
import MazeService
import MazeTensor
import MazeWire

/// What `maze bench cluster` runs: IMPALA on CartPole-v1 with the 64×64 `vector_obs` model of the service
/// learning tests (32-step rollouts, 4 batches per update), and real batches and weights of it.
struct ClusterWorkload {
    /// Rollout length of every batch.
    static let rolloutSteps = 32
    /// Batches per IMPALA update (`actors_batch_size`).
    static let batchesPerUpdate = 4

    /// Environments per actor worker: the forward pass's batch size.
    let envs: Int
    /// The composed experiment config the learner and the workers build from.
    let yaml: String
    let config: ExperimentConfig

    /// Composes the config with `hiddenUnits` in the policy and critic (64×64 for the workers); `ppo` swaps IMPALA
    /// for PPO's synchronous rounds (10 epochs of 128-sample minibatches per update); `maxPolicyLag` sets IMPALA's
    /// `max_policy_lag` (`nil` keeps its default).
    init(envs: Int, hiddenUnits: [Int] = [64, 64], ppo: Bool = false, maxPolicyLag: Int? = nil) throws {
        let composer = ConfigComposer(
            searchPath: ConfigSearchPath(shippedDirectory: ConfigSearchPath.shippedDirectory()))
        let hidden = "[" + hiddenUnits.map(String.init).joined(separator: ",") + "]"
        let overrides = [
            "env=gym_env", "env.name=CartPole-v1", "model=vector_obs", "critic=template_state",
            "model.model_builder.modality_config.feature.block_params.hidden_units=\(hidden)",
            "algorithm.n_rollout_steps=\(Self.rolloutSteps)", "algorithm.n_epochs=0",
            "algorithm.patience=0", "algorithm.lr=0.001", "algorithm.gamma=0.99", "algorithm.entropy_coef=0",
            "algorithm.max_grad_norm=0.5",
            // No evaluation rollouts inside the measured updates (the longest epoch SettingRanges allows).
            "algorithm.epoch_length=1000000",
        ]
        let algorithm =
            ppo
            ? [
                "algorithm=ppo", "algorithm.batch_size=128", "algorithm.n_optimization_epochs=10",
                "+algorithm.actors_batch_size=\(Self.batchesPerUpdate)",
            ]
            : ["algorithm=impala", "algorithm.actors_batch_size=\(Self.batchesPerUpdate)", "algorithm.num_actors=4"]
                + (maxPolicyLag.map { ["algorithm.max_policy_lag=\($0)"] } ?? [])
        yaml = try composer.compose(rootConfig: "conf_train", overrides: algorithm + overrides).yaml
        config = try ExperimentConfig(yaml: yaml, algorithm: ppo ? "ppo" : "impala")
        self.envs = envs
    }

    /// Env steps in one batch.
    var stepsPerBatch: Int { Self.rolloutSteps * envs }

    /// The learner's initial weights, as it broadcasts them.
    func learnerWeights() throws -> [String: WireTensor] {
        try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil).weights
    }

    /// `count` batches collected by an actor policy in this process, as a worker would send them.
    func batches(_ count: Int) throws -> [TrajectoryBatch] {
        var policy = try ActorCriticActingPolicy(config: config, envCount: envs, seed: 1)
        return try (0..<count).map { index in
            try policy.collect(
                RolloutIdentity(experimentID: "bench", actorID: "bench/actor-\(index)", policyVersion: 0))
        }
    }

    /// A `[rows, width]` tensor of values `draw` takes from a generator seeded with `seed`: inputs for the baselines,
    /// whose cost does not depend on the values.
    static func randomRows(_ rows: Int, width: Int, seed: UInt64, _ draw: (inout MazeRandom) -> Float) throws -> Tensor
    {
        var random = MazeRandom(seed: seed)
        return try Tensor(shape: [rows, width], scalars: (0..<rows * width).map { _ in draw(&random) })
    }

    /// One forward and backward pass of `model`'s policy and critic on `observations` and `actions`: what a learner
    /// update costs at the least (the baseline of the learner figures). Made as a learner makes its minibatch steps:
    /// on one `tape` kept from call to call (reset first, its buffers reused), the gradients taken and handed back; a
    /// fresh tape per call would allocate every buffer again and make the baseline slower than the learner itself.
    static func forwardBackward(_ model: ActorCriticModel, observations: Tensor, actions: Tensor, on tape: Tape) throws
    {
        tape.reset()
        let bound = tape.bind(model.parameters)
        let evaluation = try model.evaluate(observations: observations, actions: actions, parameters: bound)
        let loss = try evaluation.logProbs.mean() + evaluation.entropies.mean() + evaluation.values.mean()
        try tape.backward(from: loss)
        tape.recycle(try bound.takeGradients())
    }

    /// A freshly initialized model of the config, built for its env's spaces.
    func model() throws -> ActorCriticModel {
        try Self.model(of: config)
    }

    /// A freshly initialized model of `config`, built for its env's spaces.
    static func model(of config: ExperimentConfig) throws -> ActorCriticModel {
        let env = try config.makeEnv()
        return try ActorCriticModel(
            recipe: config.modelRecipe(), observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces,
            seed: 0)
    }
}
