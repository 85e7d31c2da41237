import Foundation
import MazeConfig
import MazeCore
import MazePerception
import MazeTensor
import MazeReporting
import MazeTrain

/// A finished training run read back from its folder: the env and wrappers from its `config.yaml`,
/// the model recipe, and the best checkpoint (weights and observation normalization statistics).
/// This is what `policy=torch_policy input_dir=…` rolls out.
public struct TrainedRun: Sendable {
    /// The run folder.
    public let folder: RunFolder
    public let env: EnvConfiguration
    public let recipe: ModelRecipe
    public let checkpoint: Checkpoint

    /// Reads the run folder at `path`, naming its env, wrappers and model from `components`.
    public init(path: String, components: MazeComponents = .builtIn) throws {
        guard !path.isEmpty else {
            throw MazeRunError.invalidConfig(key: "input_dir", problem: "policy=torch_policy needs input_dir=<run folder of a training run>")
        }
        folder = RunFolder(root: URL(fileURLWithPath: path, isDirectory: true))
        guard let text = try? String(contentsOf: folder.configFile, encoding: .utf8) else {
            throw MazeRunError.invalidRunFolder(path: path, problem: "no readable config.yaml; is it the folder of a training run?")
        }
        let root = ConfigSection(root: try ConfigNode(yaml: text, file: folder.configFile.path))
        env = try EnvConfiguration(config: root, registries: components.registries)
        recipe = try components.perception().recipe(model: root.section("model"))
        let best = folder.bestCheckpointDirectory
        guard FileManager.default.fileExists(atPath: best.path) else {
            throw MazeRunError.invalidRunFolder(path: path, problem: "no checkpoints/best; the run ended before its first evaluation")
        }
        checkpoint = try Checkpoint.load(from: best)
    }

    /// A fresh env with the run's wrappers, normalizing with the run's statistics.
    public func makeEnv() throws -> any StructuredEnv {
        let made = try env.makeEnv()
        if let statistics = checkpoint.normalization, let normalization = made.findWrapper(ObservationNormalizationWrapper.self) {
            normalization.statistics = statistics
        }
        return made
    }

    /// The trained model for `env`'s spaces, acting as a policy.
    public func makePolicy(for env: any StructuredEnv) throws -> ModelPolicy {
        var model = try ActorCriticModel(
            recipe: recipe, observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces, seed: 0)
        try model.load(checkpoint.weights)
        return ModelPolicy(model: model, for: env)
    }
}

extension ActorCriticModel {
    /// Replaces every parameter with the tensor of the same name in `weights`, which must have its shape.
    mutating func load(_ weights: ParameterStore) throws {
        for name in parameters.names {
            guard let saved = weights[name], saved.shape == parameters[name]?.shape else {
                throw MazeRunError.invalidConfig(
                    key: "model", problem: "the checkpoint's '\(name)' does not fit this model; roll out with the model config of the training run")
            }
            parameters[name] = saved
        }
    }
}
