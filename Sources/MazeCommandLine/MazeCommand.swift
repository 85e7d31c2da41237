import ArgumentParser
import MazeTensor
import MazeTrain

/// The `maze` command line as a library: a user's package builds its own `maze`-compatible executable with the
/// envs, wrappers, policies and perception components it registers, and `run`, `learner`, `actor`, `submit` and
/// rollouts all see them.
///
/// ```swift
/// import MazeCommandLine
/// import MazeTrain
///
/// @main
/// enum InventoryMaze {
///     static func main() async {
///         var components = MazeComponents.builtIn
///         components.registries.envs.register("inventory_replenishment", keys: InventoryEnv.keys) { try InventoryEnv.make($0) }
///         await MazeCommand.main(components: components)
///     }
/// }
/// ```
public struct MazeCommand: ParsableCommand {
    public static let configuration: CommandConfiguration = configuration(adding: [])

    /// The root configuration with `extraSubcommands` after the standard ones (the shipped `maze` adds `bench`).
    public static func configuration(adding extraSubcommands: [any ParsableCommand.Type]) -> CommandConfiguration {
        CommandConfiguration(
            commandName: "maze",
            abstract: "Train reinforcement-learning agents with a distributed actor-learner service.",
            discussion: """
                swift-maze follows the Maze RL framework: environments with wrapper stacks, perception \
                models, A2C/PPO/IMPALA trainers and Hydra-style YAML configuration, re-built natively.
                """,
            subcommands: [
                Run.self, LearnerCommand.self, ActorCommand.self, SubmitCommand.self, StatusCommand.self,
                CancelCommand.self, HealthCommand.self, Keys.self,
            ] + extraSubcommands
        )
    }

    public init() {}

    /// Parses `arguments` (the process's when `nil`) with `root` (this command, or a root whose configuration
    /// adds subcommands) and runs the chosen subcommand with `components`; exits the process. OpenBLAS runs one
    /// thread unless the user's environment chose otherwise (see ``BLASThreads``).
    public static func main(
        components: MazeComponents, root: any ParsableCommand.Type = MazeCommand.self, arguments: [String]? = nil
    ) async -> Never {
        BLASThreads.applyProcessDefault()
        do {
            var command = try root.parseAsRoot(arguments)
            if let building = command as? any ComponentsCommand {
                try building.run(with: components)
            } else if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
            root.exit()
        } catch {
            root.exit(withError: error)
        }
    }
}

/// A subcommand that builds envs, wrappers, policies or models from config, with the executable's components.
protocol ComponentsCommand: ParsableCommand {
    func run(with components: MazeComponents) throws
}
