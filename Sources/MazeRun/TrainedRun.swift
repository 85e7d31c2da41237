import Foundation
import MazeConfig
import MazeCore
import MazePerception
import MazeReporting
import MazeTensor
import MazeTrain

/// A finished training run read back from its folder: the env and wrappers from its `config.yaml`,
/// the model recipe, and the best checkpoint (weights and observation normalization statistics).
/// This is what `policy=torch_policy input_dir=…` rolls out.
struct TrainedRun: Sendable {
    /// The run folder.
    public let folder: RunFolder
    public let env: EnvConfiguration
    public let recipe: ModelRecipe
    public let checkpoint: Checkpoint

    /// Whether ``env`` was given by the rollout's command line rather than read from the run folder.
    public let envOverridden: Bool

    /// Reads the run folder at `path`, naming its env, wrappers and model from `components`; `override` replaces
    /// the env and wrappers recorded there (the rollout's own `env` and `wrappers` when the command line sets them).
    public init(path: String, env override: EnvConfiguration? = nil, components: MazeComponents = .builtIn) throws {
        guard !path.isEmpty else {
            throw MazeRunError.invalidConfig(
                key: "input_dir", problem: "policy=torch_policy needs input_dir=<run folder of a training run>")
        }
        folder = RunFolder(root: URL(fileURLWithPath: path, isDirectory: true))
        guard let text = try? String(contentsOf: folder.configFile, encoding: .utf8) else {
            throw MazeRunError.invalidRunFolder(
                path: path, problem: "no readable config.yaml; is it the folder of a training run?")
        }
        let root = ConfigSection(root: try ConfigNode(yaml: text, file: folder.configFile.path))
        if let override {
            env = override
        } else if EnvFromCode.isMarked(root) {
            throw MazeRunError.invalidRunFolder(
                path: path,
                problem:
                    "the run was trained with an env factory from code (RunContext envFactory), so its config.yaml records no env; "
                    + "name the env on the command line, e.g. env=gym_env env.name=CartPole-v1 (and wrappers=… as in training)"
            )
        } else {
            env = try EnvConfiguration(config: root, registries: components.registries)
        }
        envOverridden = override != nil
        let model = try root.section("model")
        // A run without a critic trained its policy alone (ES), see `policyRecipe(model:)`.
        let perception = try components.perception()
        recipe =
            try model.nonNull("critic") == nil ? perception.policyRecipe(model: model) : perception.recipe(model: model)
        let best = folder.bestCheckpointDirectory
        guard FileManager.default.fileExists(atPath: best.path) else {
            throw MazeRunError.invalidRunFolder(
                path: path, problem: "no checkpoints/best; the run ended before its first evaluation")
        }
        checkpoint = try Checkpoint.load(from: best)
    }

    /// A fresh env with the run's wrappers, normalizing with the run's statistics.
    public func makeEnv() throws -> any StructuredEnv {
        let made = try env.makeEnv()
        if let statistics = checkpoint.normalization,
            let normalization = made.findWrapper(ObservationNormalizationWrapper.self)
        {
            normalization.statistics = statistics
        }
        return made
    }

    /// The trained model for `env`'s spaces, acting as a policy: SAC's networks when the model config has a
    /// state-action critic (`critic=template_state_action`), an actor-critic model otherwise.
    public func makePolicy(for env: any StructuredEnv) throws -> ModelPolicy {
        func loaded<Model: ActorCritic>(_ model: Model) throws -> Model {
            var model = model
            try model.load(checkpoint.weights)
            return model
        }
        do {
            guard recipe.criticKind == .stateAction else {
                return ModelPolicy(model: try loaded(ActorCriticModel(recipe: recipe, env: env, seed: 0)), for: env)
            }
            let sac = try SoftActorCriticModel(
                recipe: recipe, observationSpace: env.observationSpace, actionSpace: env.actionSpace, seed: 0)
            return ModelPolicy(model: try loaded(sac), for: env)
        } catch let error where envOverridden {
            throw MazeRunError.invalidConfig(
                key: "env",
                problem:
                    "the env and wrappers given on the command line do not fit the policy trained in \(folder.root.path) (\(error)); "
                    + "roll out on the env it was trained on (without env and wrappers overrides, the one its config.yaml records)"
            )
        }
    }
}

extension ActorCritic {
    /// Replaces every parameter with the tensor of the same name in `weights`, which must have its shape.
    mutating func load(_ weights: ParameterStore) throws {
        for name in parameters.names {
            guard let saved = weights[name], saved.shape == parameters[name]?.shape else {
                throw MazeRunError.invalidConfig(
                    key: "model",
                    problem:
                        "the checkpoint's '\(name)' does not fit this model; roll out with the model config of the training run"
                )
            }
            parameters[name] = saved
        }
    }
}
