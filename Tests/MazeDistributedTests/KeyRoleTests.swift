import Foundation
import MazeDistributed
import MazeService
import MazeSystem
import MazeTestSupport
import Testing

/// Key files and roles against real `maze keys` and `maze learner` processes over CURVE on loopback.
@Suite("Key roles and key files", .serialized)
struct KeyRoleTests {
    /// A keys folder with the learner's pair, an actor key and an operator key.
    private static func keysFolder(_ directory: TemporaryDirectory) throws -> KeyFiles {
        let keys = KeyFiles(directory: directory.url.appendingPathComponent("keys"))
        try keys.generate(name: "learner")
        try keys.generate(name: "actor", role: .actor)
        try keys.generate(name: "ops", role: .operator)
        return keys
    }

    @Test("An actor key's Submit and Cancel are refused and counted; an operator key's Submit is queued")
    func actorKeysCannotSubmitOrCancel() throws {
        let directory = try TemporaryDirectory()
        let keys = try Self.keysFolder(directory)
        let base = "tcp://127.0.0.1:\(freeBasePort())"
        let metricsPort = Int.random(in: 20_000..<60_000)
        let learner = try ChildProcess(
            executable: TestCluster.executable,
            arguments: [
                "learner", "--bind", base, "--keys", keys.directory.path, "--metrics", "127.0.0.1:\(metricsPort)",
                "--outputs", directory.url.appendingPathComponent("outputs").path,
            ])
        defer { learner.kill() }
        func maze(_ arguments: [String], key: String) throws -> ChildProcess.Exit {
            try TestCluster.maze(arguments + ["--learner", base, "--keys", keys.directory.path, "--key-name", key])
        }
        #expect(try eventually(seconds: 30) { try maze(["status"], key: "actor").succeeded })
        let submit = ["submit", "-cn", "conf_train", "env=gym_env", "env.name=CartPole-v1"]
        let refused = try maze(submit, key: "actor")
        #expect(!refused.succeeded)
        #expect(refused.errorOutput.contains("forbidden"), "\(refused.errorOutput)")
        let cancel = try maze(["cancel", "exp-0001"], key: "actor")
        #expect(!cancel.succeeded)
        #expect(cancel.errorOutput.contains("forbidden"), "\(cancel.errorOutput)")
        let accepted = try maze(submit, key: "ops")
        #expect(accepted.succeeded, "\(accepted.errorOutput)")
        #expect(accepted.output.contains("exp-0001"))
        let metrics = try TestCluster.scrape(metricsPort)
        #expect(metrics.contains("maze_rejected_frames_total{reason=\"forbidden\"} 2"), "\(metrics)")
    }

    @Test("The learner refuses a secret others can read and an empty allow-list, unless --allow-unsafe-keys")
    func unsafeKeysAreRefused() throws {
        let directory = try TemporaryDirectory()
        let keys = try Self.keysFolder(directory)
        func learner(_ extra: [String], base: String = "tcp://127.0.0.1:\(freeBasePort())") throws -> ChildProcess {
            try ChildProcess(
                executable: TestCluster.executable,
                arguments: [
                    "learner", "--bind", base, "--keys", keys.directory.path,
                    "--outputs", directory.url.appendingPathComponent("outputs-\(UUID().uuidString)").path,
                ] + extra)
        }
        chmod(keys.secretKeyURL(name: "learner").path, 0o644)
        let readable = try learner([]).waitForExit(seconds: 30)
        #expect(!readable.succeeded)
        #expect(readable.errorOutput.contains("chmod 600"), "\(readable.errorOutput)")
        let base = "tcp://127.0.0.1:\(freeBasePort())"
        let allowed = try learner(["--allow-unsafe-keys"], base: base)
        defer { allowed.kill() }
        #expect(
            try eventually(seconds: 30) {
                try TestCluster.maze(["health", "--learner", base, "--keys", keys.directory.path, "--key-name", "ops"])
                    .succeeded
            })

        chmod(keys.secretKeyURL(name: "learner").path, 0o600)
        for name in ["actor", "ops"] { try FileManager.default.removeItem(at: keys.publicKeyURL(name: name)) }
        let empty = try learner([]).waitForExit(seconds: 30)
        #expect(!empty.succeeded)
        #expect(empty.errorOutput.contains("no *.key"), "\(empty.errorOutput)")
    }

    @Test(
        "maze keys generate creates the secret 0600 from its first byte: no other file, no rename, even with umask 000")
    func secretIsNeverReadableByOthers() throws {
        let directory = try TemporaryDirectory()
        let strace = "/usr/bin/strace"
        let traced = FileManager.default.isExecutableFile(atPath: strace)
        let trace = directory.url.appendingPathComponent("trace").path
        let command =
            (traced
                ? "\(strace) -f -qq -e trace=open,openat,creat,rename,renameat,renameat2,chmod,fchmod -o \(trace) "
                : "")
            + "\(TestCluster.executable) keys generate --dir \(directory.path)/keys --name actor-a --role actor"
        let exit = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "umask 000; exec \(command)"]).waitForExit(
            seconds: 60)
        #expect(exit.succeeded, "\(exit.errorOutput)")
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(directory.path)/keys").sorted()
        #expect(files == ["actor-a.key", "actor-a.key_secret"])
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(directory.path)/keys/actor-a.key_secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        guard traced else { return }
        // Every call that created or renamed something in the keys folder.
        let calls = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
            .filter {
                $0.contains("/keys/") && ($0.contains("O_CREAT") || $0.contains("rename") || $0.contains("chmod"))
            }
        let creations = calls.filter { $0.contains("O_CREAT") }
        #expect(creations.count == 2, "\(calls)")
        #expect(
            creations.filter { $0.contains("key_secret") }.allSatisfy {
                $0.contains("O_EXCL") && $0.contains(", 0600)")
            }, "\(calls)")
        #expect(!calls.contains { $0.contains("rename") }, "\(calls)")
    }
}
