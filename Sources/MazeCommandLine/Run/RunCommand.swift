import ArgumentParser
import Foundation
import MazeConfig
import MazeRun
import MazeTrain

/// `maze run`: Maze's `maze-run` — compose a config from `conf/` and train or roll out.
struct Run: ComponentsCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Train an agent (-cn conf_train) or roll out a policy (the default), configured like maze-run.",
        discussion: """
            The config is composed from the root config (-cn) and its defaults list, \
            then changed by overrides in Hydra's forms:
              group=option   choose a file of a config group, e.g. algorithm=ppo
              a.b=value      change a value, e.g. env.name=CartPole-v1
              +a.b=value     add a key, e.g. +experiment=cartpole_ppo_wrappers
              ~a.b           delete a key

            Train PPO on CartPole-v1 in this process:
              maze run -cn conf_train env=gym_env env.name=CartPole-v1 \\
                algorithm=ppo runner=dev
            Roll out a random policy, then a trained one:
              maze run env=gym_env env.name=CartPole-v1 runner=sequential \\
                runner.n_episodes=1
              maze run policy=torch_policy input_dir=outputs/<experiment>/<time>
            Sweep the learning rate, one run folder per job:
              maze run -cn conf_train runner=dev algorithm.lr=0.001,0.0005 \\
                --multirun

            Training writes outputs/<env>-<model>-<algorithm>-<runner>/<time>/: \
            config.yaml, command.txt, stats/ (CSV, JSONL), tensorboard/, \
            checkpoints/best and checkpoints/last, report.html. runner=dev trains in \
            one process; runner=local serves the learner here and starts actor processes \
            (algorithm.num_actors or runner.concurrency, 0 = one per CPU, at most 2 per CPU) on \
            private ipc:// sockets; the experiment's outputs go to the run folder's <id>/ subfolder.
            Rollouts record into a run folder of the same layout (the algorithm reads None): \
            event_logs/ (TSV, runner.record_event_logs, on by default) and trajectory_data/ \
            (msgpack, runner.record_trajectory=true).
            """
    )

    @Option(
        name: [.customLong("cn", withSingleDash: true), .customLong("config-name")],
        help: "Root config: conf_rollout (default) rolls out a policy, conf_train trains.")
    var configName: String = ConfigComposer.defaultRootConfig

    @Option(
        name: [.customLong("cd", withSingleDash: true), .customLong("config-dir")],
        help: "A folder of configs searched before the shipped conf/ (may be repeated).")
    var configDir: [String] = []

    @Flag(name: [.customShort("m"), .long], help: "Run one job per combination of comma-separated override values.")
    var multirun = false

    @Option(
        name: .long,
        help:
            "Print instead of running: the composed config ('job'), the run-folder settings ('hydra'), or both ('all')."
    )
    var cfg: ConfigPrint?

    @Flag(name: .long, help: "Print nothing to standard output (files are still written).")
    var silent = false

    @Option(
        help: ArgumentHelp(
            "Refuse a training run whose estimated memory (networks with gradients and Adam state, rollouts) exceeds this.",
            valueName: "mib"))
    var memoryBudgetMib = MemoryBudget.defaultMiB

    @Argument(help: "Overrides: group=option, a.b=value, +a.b=value, ~a.b.")
    var overrides: [String] = []

    /// What `--cfg` prints.
    enum ConfigPrint: String, ExpressibleByArgument {
        case job, hydra, all
    }

    func validate() throws {
        guard memoryBudgetMib > 0 else {
            throw ValidationError("--memory-budget-mib must be positive, got \(memoryBudgetMib)")
        }
        for directory in configDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                throw ValidationError("-cd \(directory): no such folder")
            }
        }
    }

    func run(with components: MazeComponents) throws {
        let searchPath = ConfigSearchPath(
            userDirectories: configDir.map { URL(fileURLWithPath: $0, isDirectory: true) },
            shippedDirectory: ConfigSearchPath.shippedDirectory())
        var launcher = RunLauncher(
            composer: ConfigComposer(searchPath: searchPath), rootConfig: configName, overrides: overrides,
            multirun: multirun,
            silent: silent, commandLine: CommandLine.arguments, components: components)
        launcher.memoryBudget = MemoryBudget(mebibytes: memoryBudgetMib)
        do {
            if let cfg, let printout = ConfigPrintout(rawValue: cfg.rawValue) {
                let date = Date()
                for (job, composed) in try launcher.composeJobs() {
                    if let number = job.number { print("# job \(number): \(job.overrides.joined(separator: " "))") }
                    let text = try printout.text(for: composed, jobNumber: job.number, date: date)
                    print(text, terminator: text.hasSuffix("\n") ? "" : "\n")
                }
                return
            }
            _ = try launcher.run()
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
