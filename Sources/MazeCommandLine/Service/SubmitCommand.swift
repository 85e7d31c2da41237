import ArgumentParser
import Foundation
import MazeConfig
import MazeDistributed
import MazeService
import MazeTrain
import MazeWire

/// `maze submit -cn conf_train env=… algorithm=impala …`: composes the config here and queues it on the learner.
struct SubmitCommand: ComponentsCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Compose a training config and queue it on a learner; prints the experiment id.",
        discussion: """
            Composition works as in `maze run`: the root config (-cn), then the overrides, e.g. \
            `maze submit -cn conf_train env=gym_env env.name=CartPole-v1 algorithm=impala --learner tcp://host:7000`. \
            Watch it with `maze status`, stop it with `maze cancel ID`.
            """
    )

    @Option(name: [.customLong("cn", withSingleDash: true), .customLong("config-name")], help: "The root config.")
    var configName = "conf_train"

    @Option(
        name: [.customLong("cd", withSingleDash: true), .customLong("config-dir")],
        help: "An extra config folder searched before the shipped conf/ (repeatable).")
    var configDirectories: [String] = []

    @Argument(help: "Config overrides such as algorithm=impala or algorithm.lr=0.001.")
    var overrides: [String] = []

    @OptionGroup var learner: LearnerAddressOptions

    func run(with components: MazeComponents) throws {
        let composer = ConfigComposer(
            searchPath: ConfigSearchPath(
                userDirectories: configDirectories.map { URL(fileURLWithPath: $0, isDirectory: true) },
                shippedDirectory: ConfigSearchPath.shippedDirectory()))
        let composed = try composer.compose(rootConfig: configName, overrides: overrides)
        // Fail here, not on the learner, when the config cannot be trained.
        try AlgorithmFactory.refuseDeletedSettings(composed)
        let algorithm = composed.choice("algorithm")
        try ExperimentConfig(yaml: composed.yaml, algorithm: algorithm, components: components).checkAlgorithm()
        let id = try learner.withClient { client in
            try client.submit(
                Submit(
                    configYAML: composed.yaml, overrides: overrides,
                    commandLine: Array(CommandLine.arguments.dropFirst()),
                    algorithm: algorithm))
        }
        print(id)
    }
}
