import Foundation
import MazeCore
import MazeEnvs
import MazeTestSupport
import MazeTrajectory
import Testing

/// Forwards to the msgpack writer and keeps what it was given, to compare the files against.
private final class TeeWriter: TrajectoryWriter, @unchecked Sendable {
    let files: MsgPackTrajectoryWriter
    private let lock = NSLock()
    private var stored: [TrajectoryRecord] = []
    init(files: MsgPackTrajectoryWriter) { self.files = files }
    func write(_ record: TrajectoryRecord) throws {
        try files.write(record)
        lock.withLock { stored.append(record) }
    }
    var records: [TrajectoryRecord] { lock.withLock { stored }.sorted { $0.episodeIndex < $1.episodeIndex } }
}

@Suite struct TrajectoryFileTests {
    /// Two episodes of the structured cutting env (two sub-steps, int observations and actions) and a
    /// time limit, recorded through the rollout runner.
    private func record(into directory: URL) throws -> [TrajectoryRecord] {
        let writer = TeeWriter(files: MsgPackTrajectoryWriter(outputDirectory: directory))
        let settings = RolloutSettings(
            nEpisodes: 2, maxEpisodeSteps: 6, deterministic: false, recordTrajectory: true,
            outputDirectory: directory, trajectoryWriter: writer)
        let env = EnvSource.named(
            "cutting_2d_struct",
            ["max_pieces_in_inventory": 5, "raw_piece_size": [100, 100], "static_demand": [[30, 15], [15, 60]]])
        _ = try RolloutRunner(settings: settings, registries: .withMazeEnvs)
            .runWith(env: env, agent: .named("random_policy"))
        return writer.records
    }

    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("maze-trajectory-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func filesReadBackAsTheRecordedEpisodes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let recorded = try record(into: directory)
        #expect(recorded.count == 2)
        let files = try FileManager.default.contentsOfDirectory(
            atPath: directory.appendingPathComponent("trajectory_data").path)
        #expect(files.sorted() == ["episode_000000.msgpack", "episode_000001.msgpack"])
        for episode in recorded {
            let read = try MsgPackTrajectoryReader.read(
                contentsOf: MsgPackTrajectoryWriter(outputDirectory: directory).fileURL(
                    episodeIndex: episode.episodeIndex))
            #expect(read.episodeIndex == episode.episodeIndex)
            #expect(read.envSeed == episode.envSeed && read.agentSeed == episode.agentSeed)
            #expect(read.steps.count == episode.steps.count)
            for (readStep, step) in zip(read.steps, episode.steps) {
                #expect(readStep.actorID == step.actorID)
                #expect(readStep.observation == step.observation)
                #expect(readStep.action == step.action)
                #expect(readStep.reward == step.reward)
                #expect(readStep.terminated == step.terminated && readStep.truncated == step.truncated)
                #expect(readStep.info == step.info)
            }
        }
        // both sub-steps and the time limit show up in what was written
        let steps = recorded.flatMap(\.steps)
        #expect(Set(steps.map(\.actorID.stepKey)).count == 2)
        #expect(recorded.allSatisfy { $0.steps.last?.truncated == true || $0.steps.last?.terminated == true })
    }

    @Test func malformedFilesAreTypedErrors() throws {
        #expect(throws: MazeError.self) { try MsgPackTrajectoryReader.decode(Data([0x93, 0x01])) }  // truncated array
        let valid = try MsgPackTrajectoryWriter.encode(TrajectoryRecord(episodeIndex: 3, envSeed: 1, agentSeed: 2))
        #expect(try MsgPackTrajectoryReader.decode(valid).episodeIndex == 3)
        #expect(throws: MazeError.self) { try MsgPackTrajectoryReader.decode(valid + Data([0xc0])) }  // trailing nil
        let wrongVersion = Data(valid.replacing(Array("version".utf8) + [0x01], with: Array("version".utf8) + [0x02]))
        #expect(throws: MazeError.self) { try MsgPackTrajectoryReader.decode(wrongVersion) }
    }

    /// Python (msgpack + numpy) reads every field of a recorded file as Swift wrote it.
    @Test func pythonReadsEveryField() throws {
        try PythonInterop.requireModules(["msgpack", "numpy"])
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let episode = try #require(try record(into: directory).first)
        let file = MsgPackTrajectoryWriter(outputDirectory: directory).fileURL(episodeIndex: episode.episodeIndex)
        let exit = try PythonInterop.start(script: "read_trajectory.py", arguments: [file.path]).waitForExit(
            seconds: 60)
        #expect(exit.succeeded, "\(exit.errorOutput)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(exit.output.utf8)) as? [String: Any])
        #expect(json["episode_index"] as? Int == episode.episodeIndex)
        #expect(json["env_seed"] as? String == String(episode.envSeed))
        #expect(json["agent_seed"] as? String == String(episode.agentSeed))
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.count == episode.steps.count)
        for (python, step) in zip(steps, episode.steps) {
            #expect(python["step_key"] as? String == step.actorID.stepKey.rawValue)
            #expect(python["agent_id"] as? Int == step.actorID.agentID)
            #expect(try Self.namedArrays(python["observation"]) == step.observation)
            #expect(try Self.namedArrays(python["action"]) == step.action)
            #expect(python["reward"] as? Double == step.reward)
            #expect(python["terminated"] as? Bool == step.terminated)
            #expect(python["truncated"] as? Bool == step.truncated)
            #expect(python["info"] as? [String: String] == step.info)
        }
    }

    /// The script's `[name, {dtype, shape, values}]` pairs as named arrays.
    private static func namedArrays(_ value: Any?) throws -> NamedArrays {
        let pairs = try #require(value as? [[Any]])
        return NamedArrays(
            try pairs.map { pair in
                let name = try #require(pair.first as? String)
                let tensor = try #require(pair.last as? [String: Any])
                let shape = try #require(tensor["shape"] as? [Int])
                let values = try #require(tensor["values"] as? [NSNumber])
                let array =
                    tensor["dtype"] as? String == "float32"
                    ? NDArray(floats: values.map(\.floatValue), shape: shape)
                    : NDArray(ints: values.map(\.intValue), shape: shape)
                return (name, array)
            })
    }
}
