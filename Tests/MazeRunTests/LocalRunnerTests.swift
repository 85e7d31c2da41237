import Foundation
import MazeConfig
import MazeCore
import MazeSystem
import MazeTestSupport
import Testing

@testable import MazeRun

/// `runner=local`: the process plan read from the config, and tiny real runs of the debug `maze` executable
/// (in-process learner, actor processes) that must leave their outputs and no process behind.
@Suite(.serialized)
struct LocalRunnerTests {
    /// One epoch of one IMPALA update of 8 steps on CartPole with one actor process (whatever the cores).
    private static func tinyLocalRun(logBaseDir: URL, epochs: Int = 1) -> [String] {
        [
            "env=gym_env", "env.name=CartPole-v1", "algorithm=impala", "runner=local", "model=vector_obs",
            "critic=template_state",
            "algorithm.n_epochs=\(epochs)", "algorithm.epoch_length=1", "algorithm.n_rollout_steps=8",
            "algorithm.num_actors=1",
            "algorithm.actors_batch_size=2", "algorithm.rollout_evaluator.n_episodes=1",
            "log_base_dir=\(logBaseDir.path)",
        ]
    }

    private static func plan(_ overrides: [String], cpuCount: Int, asynchronous: Bool = true) throws -> LocalRunPlan {
        let composed = try RunTestSupport.composer.compose(rootConfig: "conf_train", overrides: overrides)
        return try LocalRunPlan(
            composed, runFolder: URL(fileURLWithPath: "/runs/a"),
            socketDirectory: URL(fileURLWithPath: "/tmp/sockets-x"), asynchronous: asynchronous, cpuCount: cpuCount)
    }

    @Test func planStartsTheLearnerAndOneActorProcessPerRequestedActorOnPrivateIPCSockets() throws {
        let plan = try Self.plan(
            ["env=gym_env", "algorithm=impala", "runner=local", "algorithm.num_actors=3"], cpuCount: 4)
        #expect(plan.base == "ipc:///tmp/sockets-x/sockets")
        #expect(plan.actorCount == 3)
        #expect(plan.learnerOutputs.path == "/runs/a")
        #expect(plan.actorArguments.count == 3)
        #expect(
            plan.actorArguments[2] == [
                "actor", "--connect", "ipc:///tmp/sockets-x/sockets", "--insecure", "--envs", "2", "--worker",
                "--worker-index", "2",
            ])
        // ES workers evaluate one episode at a time: no `--envs` for them to refuse.
        let es = try Self.plan(["env=gym_env", "algorithm=es", "model=vector_obs", "runner=local"], cpuCount: 2)
        #expect(es.actorArguments.allSatisfy { !$0.contains("--envs") })
    }

    @Test func actorCountFromTheConfigFilesIsCappedAtOnePerCPUTheLearnerLeavesAndConcurrencyZeroMeansThatMany() throws {
        let capped = try Self.plan(["env=gym_env", "algorithm=impala", "runner=local"], cpuCount: 2)
        #expect(capped.requestedActors == 8)  // impala.yaml's num_actors
        #expect(!capped.isExplicitRequest)
        #expect(capped.actorCount == 1)
        #expect(LocalRunner.actorsPhrase(capped).hasPrefix("1 actor process (8 configured, capped to fit the cores"))
        let eight = try Self.plan(["env=gym_env", "algorithm=impala", "runner=local"], cpuCount: 16)
        #expect(eight.actorCount == 8)
        let perCPU = try Self.plan(
            ["env=gym_env", "algorithm=impala", "runner=local", "+runner.concurrency=0"], cpuCount: 3)
        #expect(perCPU.actorCount == 2)
        let oneCPU = try Self.plan(
            ["env=gym_env", "algorithm=impala", "runner=local", "+runner.concurrency=0"], cpuCount: 1)
        #expect(oneCPU.actorCount == 1)
        // PPO's learner waits for each round: its actors may take every core.
        let synchronous = try Self.plan(
            ["env=gym_env", "algorithm=ppo", "runner=local", "runner.concurrency=0"], cpuCount: 2, asynchronous: false)
        #expect(synchronous.actorCount == 2)
        #expect(
            throws: MazeRunError.invalidConfig(key: "algorithm.num_actors", problem: "must not be negative, got -1")
        ) {
            try Self.plan(["env=gym_env", "algorithm=impala", "runner=local", "algorithm.num_actors=-1"], cpuCount: 2)
        }
    }

    @Test func actorCountGivenOnTheCommandLineStartsAsGivenAndSaysThatItOversubscribes() throws {
        for override in ["algorithm.num_actors=4", "+runner.concurrency=4", "++algorithm.num_actors=4"] {
            let plan = try Self.plan(["env=gym_env", "algorithm=impala", "runner=local", override], cpuCount: 2)
            #expect(plan.isExplicitRequest, "\(override)")
            #expect(plan.actorCount == 4, "\(override)")
            #expect(plan.actorArguments.count == 4, "\(override)")
            #expect(
                LocalRunner.actorsPhrase(plan)
                    == "4 actor processes (as given; 1 fit the cores, more time-share them with the learner)")
        }
        let fitting = try Self.plan(
            ["env=gym_env", "algorithm=impala", "runner=local", "algorithm.num_actors=1"], cpuCount: 2)
        #expect(fitting.actorCount == 1)
        #expect(LocalRunner.actorsPhrase(fitting) == "1 actor process")
    }

    @Test func tinyRunTrainsThroughTheServiceAndLeavesNoProcessBehind() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let run = try RunTestSupport.maze(
            ["run", "-cn", "conf_train"] + Self.tinyLocalRun(logBaseDir: outputs), seconds: 180)
        #expect(run.succeeded, "\(run.output)\n\(run.errorOutput)")
        #expect(run.output.contains("1 actor process\n"))
        #expect(run.output.contains("exp-0001 done: epoch 1"))
        // One update of 2 batches of 8 steps × 2 envs, counted by the learner.
        #expect(run.output.contains("Learner: trained on 32 of "), "\(run.output)")
        // The learner's statistics table, as runner=dev prints it.
        #expect(run.output.contains(StatsTable.header))
        #expect(run.output.contains("-> new overall best model "))

        // "… learner on ipc://DIR/sockets, 1 actor process": every started process has DIR in its arguments.
        let base = try #require(run.output.split(separator: " ").first { $0.hasPrefix("ipc://") })
        let sockets = URL(fileURLWithPath: String(base.dropFirst("ipc://".count).dropLast()))
            .deletingLastPathComponent().path
        #expect(Self.processes(withArgumentContaining: sockets).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: sockets))

        let folder = try #require(
            try RunTestSupport.subfolders(of: outputs.appendingPathComponent("gym_env-vector_obs-impala-local")).first)
        let experiment = folder.appendingPathComponent("exp-0001")
        // The layout of a `maze run` training folder, so the same rollout command replays the best model.
        for file in [
            "config.yaml", "command.txt", "train.log", "stats/stats.csv", "stats/stats.jsonl", "report.html",
            "checkpoints/best/state_dict.safetensors", "checkpoints/last",
        ] {
            #expect(FileManager.default.fileExists(atPath: experiment.appendingPathComponent(file).path), "\(file)")
        }
        // The printed rollout command rolls out the printed run folder.
        let prefix = "Roll out the best model with: maze "
        let command = try #require(run.output.split(separator: "\n").first { $0.hasPrefix(prefix) }).dropFirst(
            prefix.count)
        #expect(command.contains("input_dir=\(experiment.path)"))
        #expect(run.output.contains("run folder: \(experiment.path)"))
        let rollout = try RunTestSupport.maze(
            command.split(separator: " ").map(String.init) + ["runner.n_episodes=1"], seconds: 120)
        #expect(rollout.succeeded, "\(rollout.output)\n\(rollout.errorOutput)")

        // input_dir continues from that folder; a missing one fails the run, naming the key and the reason.
        let resumed = try RunTestSupport.maze(
            ["run", "-cn", "conf_train"] + Self.tinyLocalRun(logBaseDir: outputs.appendingPathComponent("resumed"))
                + ["input_dir=\(experiment.path)"], seconds: 180)
        #expect(resumed.succeeded, "\(resumed.output)\n\(resumed.errorOutput)")
        #expect(resumed.output.contains("Continuing from the model in \(experiment.path) (input_dir)"))
        let missing = try RunTestSupport.maze(
            ["run", "-cn", "conf_train"] + Self.tinyLocalRun(logBaseDir: outputs.appendingPathComponent("missing"))
                + ["input_dir=/nonexistent/run"], seconds: 180)
        #expect(!missing.succeeded)
        #expect(missing.errorOutput.contains("input_dir: no folder at '/nonexistent/run'"), "\(missing.errorOutput)")
    }

    /// Evolution Strategies with `runner=local` (`es-local.yaml`): the same learner and actor processes evaluate the
    /// perturbations, two epochs of 2 pairs each.
    @Test func tinyESRunTrainsThroughTheService() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let run = try RunTestSupport.maze(
            [
                "run", "-cn", "conf_train", "env=gym_env", "env.name=CartPole-v1", "algorithm=es", "model=vector_obs",
                "runner=local", "algorithm.n_epochs=2", "algorithm.n_rollouts_per_update=4",
                "runner.n_eval_rollouts=1", "runner.shared_noise_table_size=100000", "+env.max_episode_steps=30",
                "log_base_dir=\(outputs.path)",
            ], seconds: 180)
        #expect(run.succeeded, "\(run.output)\n\(run.errorOutput)")
        #expect(run.output.contains("exp-0001 done: epoch 2"), "\(run.output)")
        #expect(run.output.contains("ES update 2: 2 pairs, "), "\(run.output)")
        #expect(run.output.contains("-> new overall best model "))
        let base = try #require(run.output.split(separator: " ").first { $0.hasPrefix("ipc://") })
        let sockets = URL(fileURLWithPath: String(base.dropFirst("ipc://".count).dropLast()))
            .deletingLastPathComponent().path
        #expect(Self.processes(withArgumentContaining: sockets).isEmpty)
    }

    @Test func interruptStopsEveryStartedProcessAndFails() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        // n_epochs=0 trains until stopped.
        let run = try ChildProcess(
            executable: try RunTestSupport.mazeBinary(),
            arguments: ["run", "-cn", "conf_train"] + Self.tinyLocalRun(logBaseDir: outputs, epochs: 0))
        let deadline = Date().addingTimeInterval(60)
        var children: [Int32] = []
        while Date() < deadline, children.count < 1 {
            Thread.sleep(forTimeInterval: 0.2)
            children = Self.children(of: run.processIdentifier)
        }
        #expect(children.count == 1)  // the actor; the learner is a thread of `maze run`
        kill(run.processIdentifier, SIGINT)
        let exit = try run.waitForExit(seconds: 60)
        #expect(!exit.succeeded)
        #expect(exit.errorOutput.contains("interrupted"))
        #expect(children.allSatisfy { !Self.isAlive($0) })
    }

    /// Live processes whose command line contains `text` (Linux `/proc`).
    private static func processes(withArgumentContaining text: String) -> [Int32] {
        livePIDs().filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(text)
        }
    }

    /// Live children of `parent`.
    private static func children(of parent: Int32) -> [Int32] {
        livePIDs().filter { stat(of: $0)?.parent == parent }
    }

    private static func isAlive(_ pid: Int32) -> Bool { stat(of: pid) != nil }

    private static func livePIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter {
            stat(of: $0) != nil
        }
    }

    /// The parent of `pid` from `/proc/PID/stat`, or nil when it is gone or a zombie.
    private static func stat(of pid: Int32) -> (state: Substring, parent: Int32)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: end)...].split(separator: " ")
        guard fields.count > 1, fields[0] != "Z", let parent = Int32(fields[1]) else { return nil }
        return (fields[0], parent)
    }
}
