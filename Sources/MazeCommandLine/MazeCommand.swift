import ArgumentParser

/// The `maze` executable: every user-facing entry point of swift-maze is a subcommand of this.
@main
struct Maze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maze",
        abstract: "Train reinforcement-learning agents with a distributed actor-learner service.",
        discussion: """
            swift-maze follows the Maze RL framework: environments with wrapper stacks, perception \
            models, A2C/PPO/IMPALA trainers and Hydra-style YAML configuration, re-built natively.
            """,
        subcommands: [
            Run.self, LearnerCommand.self, ActorCommand.self, SubmitCommand.self, StatusCommand.self,
            CancelCommand.self, HealthCommand.self, Keys.self, Bench.self,
        ]
    )
}
