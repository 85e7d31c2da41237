import Foundation
import Testing

@testable import MazeBenchmarks

/// `maze bench es` reads its figures from a run's statistics log and config.
struct ESFiguresTests {
    /// A run folder with `config.yaml` (`n_rollouts_per_update`) and a statistics log of `records`.
    private static func run(_ records: [String], startedAt: Double) throws -> (ChildRun, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("es-figures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("stats"), withIntermediateDirectories: true)
        try "algorithm:\n  n_rollouts_per_update: 100\n".write(
            to: folder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        try (records.joined(separator: "\n") + "\n").write(
            to: folder.appendingPathComponent("stats/stats.jsonl"), atomically: true, encoding: .utf8)
        let run = ChildRun(
            wallSeconds: 9, userSeconds: 8, systemSeconds: 0.5, startedAt: startedAt, output: "", statsFolder: folder)
        return (run, folder)
    }

    @Test func timeToTargetAndEnvStepsPerSecondComeFromTheLog() throws {
        // The service's key for the mean episode length; epochs 2 and 3 take 1 s together and evaluate 500 from 3.
        let (run, folder) = try Self.run(
            [
                #"{"step":1,"wall_time":1001.0,"train/BaseEnvEvents/episode_length/mean":20,"eval/BaseEnvEvents/reward/mean":90}"#,
                #"{"step":2,"wall_time":1001.5,"train/BaseEnvEvents/episode_length/mean":30,"eval/BaseEnvEvents/reward/mean":499}"#,
                #"{"step":3,"wall_time":1002.0,"train/BaseEnvEvents/episode_length/mean":50,"eval/BaseEnvEvents/reward/mean":500}"#,
            ], startedAt: 1000)
        defer { try? FileManager.default.removeItem(at: folder) }
        let figures = try ESBench.Figures(run, runner: "local")
        #expect(figures.secondsToTarget == 2)
        #expect(figures.epochsToTarget == 3)
        #expect(figures.envStepsPerSecond == 100 * (30 + 50))
        #expect(figures.run.wallSeconds == 9 && figures.run.userSeconds == 8 && figures.run.systemSeconds == 0.5)
    }

    @Test func aRunThatNeverSolvesIsAnErrorNamingTheOption() throws {
        // `runner=dev`'s key for the mean episode length.
        let (run, folder) = try Self.run(
            [
                #"{"step":1,"wall_time":1001.0,"train/BaseEnvEvents/reward/mean_step_count":20,"eval/BaseEnvEvents/reward/mean":90}"#,
                #"{"step":2,"wall_time":1002.0,"train/BaseEnvEvents/reward/mean_step_count":30,"eval/BaseEnvEvents/reward/mean":120}"#,
            ], startedAt: 1000)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try ESBench.Figures(run, runner: "dev")
        } throws: { error in
            "\(error)".contains("--epochs")
        }
    }
}
