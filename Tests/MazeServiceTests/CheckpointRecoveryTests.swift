import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

/// No experiment lost to one bad file: checkpoints rotate through `last` and `previous`, a resume skips an
/// unusable one, a full disk is survived and the state file is validated before it is trusted.
@Suite("Checkpoint recovery and state file", .serialized)
struct CheckpointRecoveryTests {
    /// A learner service on `outputs` with the counting algorithm, checkpointing every update, fed by one
    /// synthetic actor until it reaches `version`; returns the versions it logged.
    private static func train(outputs: URL, sockets: TemporaryDirectory, until version: UInt64) throws -> [String] {
        let endpoints = try ServiceEndpoints(base: "ipc://\(sockets.path)")
        let log = Shared<[String]>([])
        let learner = BackgroundLoop("learner") { stop in
            var configuration = LearnerConfiguration(
                endpoints: endpoints, security: .insecure, outputsDirectory: outputs)
            configuration.checkpointEveryUpdates = 1
            configuration.log = { line in log.set(log.current + [line]) }
            let service = try LearnerService(configuration: configuration, context: try ZMQContext()) { _ in
                try CountingAlgorithm(batchesPerUpdate: 1, stalenessPolicy: .boundedLag(1_000))
            }
            try service.run(until: stop)
        }
        let actor = BackgroundLoop("actor") { stop in
            let worker = try ActorWorker(
                configuration: ActorWorkerConfiguration(
                    workerID: "test/actor-0", endpoints: endpoints, security: .insecure),
                context: try ZMQContext()
            ) { _ in SyntheticPolicy() }
            try worker.run(until: stop)
        }
        let client = try ControlClient(endpoints: endpoints, security: .insecure, in: try ZMQContext())
        if try client.status().isEmpty { _ = try client.submit(Submit(configYAML: "toy: 1\n")) }
        let reached = try eventually(seconds: 60) {
            let experiment = try client.status().first
            return experiment?.state.isFinal == true || (experiment?.epoch ?? 0) >= version
        }
        #expect(reached)
        #expect(actor.finish() == nil)
        #expect(learner.finish() == nil)
        return log.current
    }

    private static func checkpoints(_ outputs: URL) -> URL {
        outputs.appendingPathComponent("exp-0001/checkpoints")
    }

    @Test(
        "A truncated, non-folder or all-NaN checkpoints/last resumes from checkpoints/previous; with both unusable it fails"
    )
    func unusableLastFallsBackToPrevious() throws {
        for damage in ["truncated", "file", "nan", "both"] {
            let outputs = try TemporaryDirectory()
            _ = try Self.train(outputs: outputs.url, sockets: try TemporaryDirectory(), until: 5)
            let last = Self.checkpoints(outputs.url).appendingPathComponent("last")
            let previous = Self.checkpoints(outputs.url).appendingPathComponent("previous")
            #expect(FileManager.default.fileExists(atPath: previous.appendingPathComponent("counting.json").path))
            let previousUpdates = try Self.updates(in: previous)
            switch damage {
            case "file":
                try FileManager.default.removeItem(at: last)
                try Data("not a folder".utf8).write(to: last)
            case "nan":
                // The counting algorithm restores a NaN weight from this: a diverged model.
                try Data("{\"version\": 9, \"consumed\": 0, \"updates\": 9, \"nan\": true}".utf8)
                    .write(to: last.appendingPathComponent("counting.json"))
            default:
                for folder in damage == "both" ? [last, previous] : [last] {
                    try Data("{\"version\": 3, \"consu".utf8).write(to: folder.appendingPathComponent("counting.json"))
                }
            }
            let log = try Self.train(
                outputs: outputs.url, sockets: try TemporaryDirectory(), until: UInt64(previousUpdates + 1))
            #expect(log.contains { $0.contains("checkpoints/last unusable") }, "\(damage): \(log)")
            let record = try ExperimentStore(outputsDirectory: outputs.url).load().record("exp-0001")
            if damage == "both" {
                // Never a silent restart from version 0.
                #expect(record?.state == .failed)
                #expect(record?.failure?.contains("checkpoints/previous unusable") == true, "\(record?.failure ?? "")")
            } else {
                #expect(log.contains { $0.contains("resumes from previous") }, "\(damage): \(log)")
                #expect(record?.state == .running, "\(damage)")
                #expect(try Self.updates(in: last) > previousUpdates, "\(damage)")
            }
        }
    }

    @Test(
        "A full disk fails checkpoints (retried, logged) without stopping training; with room again --resume continues",
        .enabled(if: getuid() == 0))
    func fullDiskIsSurvived() throws {
        let outputs = try TemporaryDirectory()
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", outputs.path]) else {
            Issue.record("could not mount a tmpfs as root")
            return
        }
        defer { _ = Self.run("/bin/umount", [outputs.path]) }
        let sockets = try TemporaryDirectory()
        _ = try Self.train(outputs: outputs.url, sockets: sockets, until: 3)
        let checkpointed = try Self.updates(in: Self.checkpoints(outputs.url).appendingPathComponent("last"))
        // Fill the disk.
        let filler = outputs.url.appendingPathComponent("filler")
        FileManager.default.createFile(atPath: filler.path, contents: nil)
        let handle = try FileHandle(forWritingTo: filler)
        while (try? handle.write(contentsOf: Data(count: 4_096))) != nil {}
        try? handle.close()
        let full = try Self.train(outputs: outputs.url, sockets: sockets, until: UInt64(checkpointed + 4))
        #expect(full.contains { $0.contains("failed after 3 attempts") }, "\(full)")
        #expect(try Self.updates(in: Self.checkpoints(outputs.url).appendingPathComponent("last")) >= checkpointed)
        // Room again: the resumed experiment continues from its newest checkpoint and checkpoints again.
        try FileManager.default.removeItem(at: filler)
        _ = try Self.train(outputs: outputs.url, sockets: sockets, until: UInt64(checkpointed + 6))
        #expect(try Self.updates(in: Self.checkpoints(outputs.url).appendingPathComponent("last")) >= checkpointed + 6)
        #expect(try ExperimentStore(outputsDirectory: outputs.url).load().record("exp-0001")?.state == .running)
        let stray = try FileManager.default.subpathsOfDirectory(atPath: outputs.path).filter {
            $0.contains(".nosync") || $0.hasSuffix(".tmp")
        }
        #expect(stray.isEmpty, "\(stray)")
    }

    private static func run(_ executable: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    private static func updates(in directory: URL) throws -> Int {
        let object = try JSONSerialization.jsonObject(
            with: Data(contentsOf: directory.appendingPathComponent("counting.json")))
        return (object as? [String: Any])?["updates"] as? Int ?? -1
    }

    @Test("A state file with an escaping id, two running experiments, a duplicate id or a negative counter is refused")
    func stateFileIsValidated() throws {
        var queue = ExperimentQueue()
        _ = queue.submit(Submit(configYAML: "a: 1\n"))
        _ = queue.submit(Submit(configYAML: "a: 2\n"))
        let directory = try TemporaryDirectory()
        let store = ExperimentStore(outputsDirectory: directory.url)
        try store.save(queue)
        let valid = try String(contentsOf: store.url, encoding: .utf8)
        #expect(try store.load() == queue)
        let damaged = [
            "escape": valid.replacingOccurrences(of: "exp-0002", with: "../../escape"),
            "two running": valid.replacingOccurrences(of: "\"queued\"", with: "\"running\""),
            "duplicate": valid.replacingOccurrences(of: "exp-0002", with: "exp-0001"),
            "negative counter": valid.replacingOccurrences(of: "\"nextNumber\" : 3", with: "\"nextNumber\" : -3"),
        ]
        for (name, text) in damaged {
            #expect(text != valid, "\(name)")
            try Data(text.utf8).write(to: store.url)
            #expect(throws: ServiceError.self, "\(name)") { try store.load() }
        }
        // Saving leaves nothing but the state file behind.
        try store.save(queue)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["learner-state.json"])
    }

    @Test("Finished experiments beyond the newest 100 move to learner-history.jsonl: the state file stays bounded")
    func stateFileStaysBounded() throws {
        let directory = try TemporaryDirectory()
        let store = ExperimentStore(outputsDirectory: directory.url)
        var queue = ExperimentQueue()
        var sizes: [Int] = []
        for round in 1...300 {
            let id = queue.submit(
                Submit(configYAML: "config: \(round)\n" + String(repeating: "#", count: 1_000) + "\n"))
            _ = queue.buildAndStartNext()
            queue.finish(id)
            try store.saveCompacting(&queue)
            sizes.append(try Data(contentsOf: store.url).count)
        }
        #expect(queue.experiments.count == 100)
        #expect(queue.experiments.first?.id == "exp-0201")
        let history = try String(contentsOf: store.historyURL, encoding: .utf8).split(separator: "\n")
        #expect(history.count == 200)
        #expect(history.first?.contains("exp-0001") == true)
        // The cost of a save no longer grows with the number of experiments run.
        #expect(sizes[299] == sizes[199], "\(sizes[199]) → \(sizes[299]) bytes")
        #expect(try store.load() == queue)
    }
}
