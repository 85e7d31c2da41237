import Foundation
import MazeRun
import Testing

/// The local-cluster builder on its own, with `/bin/sh` standing in for `maze`: private socket folder, actor
/// logs, and nothing left behind after `shutDown()`.
struct LocalClusterTests {
    @Test func actorsLogToTheirFilesAndShutDownStopsThemAndRemovesTheFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-local-cluster-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("sockets")
        let cluster = try LocalCluster(executable: "/bin/sh", directory: directory, terminationGrace: .seconds(2))
        #expect(cluster.base == "ipc://\(directory.path)/sockets")
        let permissions = try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? Int
        #expect(permissions == 0o700)

        let logs = root.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try cluster.startActors([
            ["-c", "echo started $OPENBLAS_NUM_THREADS; exec sleep 30"], ["-c", "exec sleep 30"],
        ]) {
            logs.appendingPathComponent("actor-\($0).log")
        }
        #expect(cluster.actors.count == 2)
        let log = logs.appendingPathComponent("actor-0.log")
        let deadline = Date().addingTimeInterval(10)
        while (try? String(contentsOf: log, encoding: .utf8)) != "started 1\n", Date() < deadline { usleep(10_000) }
        #expect(try String(contentsOf: log, encoding: .utf8) == "started 1\n")

        cluster.shutDown()
        #expect(cluster.actors.allSatisfy { !$0.isRunning })
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test func workerArgumentsConnectPlaintextToTheBase() {
        #expect(
            LocalCluster.workerArguments(base: "ipc:///tmp/c/sockets", index: 3, envs: 8) == [
                "actor", "--connect", "ipc:///tmp/c/sockets", "--insecure", "--envs", "8", "--worker", "--worker-index",
                "3",
            ])
        #expect(
            LocalCluster.workerArguments(base: "ipc:///tmp/c/sockets", index: 0, envs: nil) == [
                "actor", "--connect", "ipc:///tmp/c/sockets", "--insecure", "--worker", "--worker-index", "0",
            ])
    }
}
