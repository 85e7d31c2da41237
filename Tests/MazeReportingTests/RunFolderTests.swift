import Foundation
import MazeCore
import MazeReporting
import Testing

@Suite("Run folder layout")
struct RunFolderTests {
    @Test("create writes config.yaml and command.txt and makes stats/, tensorboard/ and checkpoints/")
    func layout() throws {
        let directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("outputs/gym_env-vector_obs-ppo-dev/2026-11-21_13-15-00")
        let command = ["maze", "run", "-cn", "conf_train", "env.name=CartPole-v1", "+experiment=my exp", "note=it's"]
        let folder = try RunFolder.create(at: root, config: "env:\n  name: CartPole-v1\n", commandLine: command)
        #expect(try String(contentsOf: folder.configFile, encoding: .utf8) == "env:\n  name: CartPole-v1\n")
        #expect(
            try String(contentsOf: folder.commandFile, encoding: .utf8)
                == "maze run -cn conf_train env.name=CartPole-v1 '+experiment=my exp' 'note=it'\\''s'\n")
        var isDirectory: ObjCBool = false
        for url in [folder.statsDirectory, folder.tensorboardDirectory, folder.checkpointsDirectory] {
            #expect(
                FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue)
        }
        #expect(folder.csvFile.path == root.path + "/stats/stats.csv")
        #expect(folder.jsonlFile.path == root.path + "/stats/stats.jsonl")
        #expect(folder.reportFile.path == root.path + "/report.html")
    }

    @Test("the run's writers fill the CSV, JSONL and TensorBoard files, config and command in TensorBoard's TEXT tab")
    func writers() throws {
        let directory = try TemporaryDirectory()
        let folder = try RunFolder.create(at: directory.url, config: "seed: 7\n", commandLine: ["maze", "run"])
        let writers = try folder.openStatsWriters(silent: true)
        #expect(writers.writers.count == 3)
        try writers.write(rewardStats(prefix: "train", epoch: 1), step: 1)
        try writers.close()
        #expect(try ScalarLog(contentsOf: folder.jsonlFile).records.count == 1)
        #expect(try String(contentsOf: folder.csvFile, encoding: .utf8).split(separator: "\n").count == 2)
        let contents = try TensorBoardWriterTests.readBack(folder.tensorboardDirectory)
        #expect(contents.texts["config"] == ["seed: 7\n"])
        #expect(contents.texts["command"] == ["maze run\n"])
        #expect(contents.scalars["train_BaseEnvEvents/reward/mean"]?.first?[1] == 10)
    }
}
