import Foundation

extension RunFolder {
    /// The `maze run` command that rolls out this run's best model (Maze's `policy=torch_policy input_dir=…`), which
    /// every runner prints when training ends: on `episodes` episodes seeded from `seed` (a training's evaluation
    /// episodes), or with the rollout config's defaults.
    public func rolloutCommand(episodes: Int? = nil, seed: UInt64? = nil) -> String {
        var command = "maze run policy=torch_policy input_dir=\(root.relativePath) runner=sequential"
        if let episodes { command += " runner.n_episodes=\(episodes)" }
        if let seed { command += " seeding.env_base_seed=\(seed)" }
        return command
    }
}
