import Foundation
import Testing

@testable import MazeConfig

@Suite("Multirun sweeps and run folders")
struct MultirunAndRunDirectoryTests {
    private let composer = ConfigFixtures.shippedComposer

    @Test func sweepsExpandToTheCartesianProductWithNumberedJobs() throws {
        let jobs = try MultirunSweep.jobs(for: [
            "algorithm.lr=0.001,0.0005", "runner=dev", "env.name=CartPole-v1,Acrobot-v1",
        ])
        #expect(jobs.map(\.number) == [0, 1, 2, 3])
        #expect(
            jobs.map(\.overrides) == [
                ["algorithm.lr=0.001", "runner=dev", "env.name=CartPole-v1"],
                ["algorithm.lr=0.001", "runner=dev", "env.name=Acrobot-v1"],
                ["algorithm.lr=0.0005", "runner=dev", "env.name=CartPole-v1"],
                ["algorithm.lr=0.0005", "runner=dev", "env.name=Acrobot-v1"],
            ])
        let composed = try jobs.map { try composer.compose(rootConfig: "conf_train", overrides: $0.overrides) }
        #expect(try composed.map { try $0.root.double("algorithm.lr") } == [0.001, 0.001, 0.0005, 0.0005])
        #expect(
            try composed.map { try $0.root.string("env.name") } == [
                "CartPole-v1", "Acrobot-v1", "CartPole-v1", "Acrobot-v1",
            ])
    }

    @Test func groupSweepsAndPrefixesSurviveNarrowing() throws {
        let jobs = try MultirunSweep.jobs(for: ["algorithm=a2c,ppo,impala", "+algorithm.tag=x,'y,z'"])
        #expect(jobs.count == 6)
        #expect(jobs[5].overrides == ["algorithm=impala", "+algorithm.tag='y,z'"])
        let composed = try composer.compose(rootConfig: "conf_train", overrides: jobs[5].overrides + ["runner=dev"])
        #expect(try composed.root.string("algorithm.tag") == "y,z")
        #expect(composed.choice("algorithm_runner") == "impala-dev")
    }

    @Test("A sweep of 4 million jobs is refused before it is expanded")
    func hugeSweepsAreRefused() throws {
        let values = (0..<2_000).map(String.init).joined(separator: ",")
        let start = Date()
        #expect(throws: ConfigError.self) { try MultirunSweep.jobs(for: ["a=\(values)", "b=\(values)"]) }
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(try MultirunSweep.jobs(for: ["a=\(values)", "b=1,2,3,4,5"]).count == 10_000)
    }

    @Test func withoutSweepsThereIsOneJob() throws {
        #expect(try MultirunSweep.jobs(for: ["a=1"]) == [MultirunSweep.Job(number: 0, overrides: ["a=1"])])
        #expect(try MultirunSweep.jobs(for: []) == [MultirunSweep.Job(number: 0, overrides: [])])
    }

    @Test func runFolderIsNamedAfterTheChosenGroupsAndTime() throws {
        let composed = try composer.compose(
            rootConfig: "conf_train",
            overrides: [
                "env=gym_env", "env.name=CartPole-v1", "algorithm=ppo", "model=vector_obs", "runner=dev",
            ])
        let date = Date(timeIntervalSince1970: 1_614_121_765)  // 2021-02-23 23:09:25 UTC
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(RunDirectory.experimentName(composed) == "gym_env-vector_obs-ppo-dev")
        #expect(
            try RunDirectory.path(for: composed, date: date, timeZone: utc)
                == "outputs/gym_env-vector_obs-ppo-dev/2021-02-23_23-09-25")
        #expect(
            try RunDirectory.path(for: composed, date: date, jobNumber: 3, timeZone: utc)
                == "outputs/gym_env-vector_obs-ppo-dev/2021-02-23_23-09-25/3")

        let rollout = try composer.compose(overrides: ["log_base_dir=/tmp/runs"])
        #expect(
            try RunDirectory.path(for: rollout, date: date, timeZone: utc)
                == "/tmp/runs/gym_env-None-None-parallel/2021-02-23_23-09-25")
    }

    @Test func hydraRunAndSweepDirectoriesReplaceTheDefaultFolder() throws {
        let composed = try composer.compose(overrides: ["hydra.run.dir=my_dir", "hydra.sweep.dir=sweeps/lr"])
        #expect(!composed.root.contains("hydra"))
        let date = Date(timeIntervalSince1970: 0)
        #expect(try RunDirectory.path(for: composed, date: date) == "my_dir")
        #expect(try RunDirectory.path(for: composed, date: date, jobNumber: 2) == "sweeps/lr/2")
    }

    @Test func runsStartedInTheSameSecondGetFoldersOfTheirOwn() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("maze-claim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let composed = try composer.compose(overrides: ["log_base_dir=\(base.path)"])
        let date = Date(timeIntervalSince1970: 1_614_121_765)
        let utc = try #require(TimeZone(identifier: "UTC"))
        let path = try RunDirectory.path(for: composed, date: date, timeZone: utc)
        let claimed = try (0..<3).map { _ in try RunDirectory.claim(for: composed, date: date, timeZone: utc) }
        #expect(claimed.map(\.path) == [path, path + "_1", path + "_2"])
        #expect(claimed.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })

        let named = try composer.compose(overrides: ["hydra.run.dir=\(base.path)/mine"])
        #expect(try RunDirectory.claim(for: named, date: date).path == base.path + "/mine")
        #expect(try RunDirectory.claim(for: named, date: date).path == base.path + "/mine")
    }

    @Test func aClaimOfARunThatWroteNothingIsReleasedWithTheFoldersItMade() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("maze-claim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let composed = try composer.compose(overrides: ["log_base_dir=\(base.path)/outputs"])
        let first = try RunDirectory.claim(for: composed, date: Date(timeIntervalSince1970: 0))
        let second = try RunDirectory.claim(for: composed, date: Date(timeIntervalSince1970: 0))
        try Data("x".utf8).write(to: URL(fileURLWithPath: first.path + "/config.yaml"))
        second.releaseIfUnused()
        #expect(!FileManager.default.fileExists(atPath: second.path))
        #expect(FileManager.default.fileExists(atPath: first.path))
        try FileManager.default.removeItem(atPath: first.path + "/config.yaml")
        first.releaseIfUnused()
        #expect(!FileManager.default.fileExists(atPath: base.path + "/outputs"))
    }

    @Test func aRunThatThrowsInItsClaimedFolderLeavesNoFolderBehind() throws {
        struct Refused: Error {}
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("maze-claim-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let composed = try composer.compose(overrides: ["log_base_dir=\(base.path)/outputs"])
        let claimed = try RunDirectory.claim(for: composed, date: Date(timeIntervalSince1970: 0))
        #expect(throws: Refused.self) { try claimed.use { _ in throw Refused() } }
        #expect(!FileManager.default.fileExists(atPath: base.path + "/outputs"))
        // A run that wrote something keeps its folder, also when it throws afterwards.
        let kept = try RunDirectory.claim(for: composed, date: Date(timeIntervalSince1970: 0))
        #expect(throws: Refused.self) {
            try kept.use { path in
                try Data("x".utf8).write(to: URL(fileURLWithPath: path + "/config.yaml"))
                throw Refused()
            }
        }
        #expect(FileManager.default.fileExists(atPath: kept.path + "/config.yaml"))
        #expect(try kept.use { $0 } == kept.path)
    }
}
