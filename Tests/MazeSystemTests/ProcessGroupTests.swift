import Foundation
import MazeSystem
import Synchronization
import Testing

@Suite("Process group")
struct ProcessGroupTests {
    private static func isAlive(_ pid: Int32) -> Bool {
        // A zombie still answers kill(0); /proc tells a reaped or dead process apart.
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !status.contains(") Z ")
    }

    private static func eventually(seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !condition() { usleep(10_000) }
        return condition()
    }

    @Test("A member killed with SIGKILL is restarted; terminateAll() ends and reaps every member")
    func restartsKilledMember() throws {
        var restart = ProcessGroup.RestartPolicy()
        restart.initialBackoff = .milliseconds(20)
        let events = Mutex<[ProcessGroup.Event]>([])
        let group = ProcessGroup(terminationGrace: .seconds(2), restart: restart) { event in
            events.withLock { $0.append(event) }
        }
        defer { group.terminateAll() }
        for _ in 0..<2 { try group.start(.init(executable: "/bin/sleep", arguments: ["30"])) }
        #expect(Self.eventually { group.processIdentifiers.allSatisfy { $0 != nil } })
        let before = group.processIdentifiers.compactMap { $0 }
        try #require(before.count == 2)
        kill(before[0], SIGKILL)
        #expect(Self.eventually { group.restarts == 1 })
        #expect(
            events.withLock { $0 } == [
                .exited(index: 0, status: SIGKILL, uncaughtSignal: true, restartIn: .milliseconds(40))
            ])
        #expect(
            Self.eventually {
                let now = group.processIdentifiers
                return now[0] != nil && now[0] != before[0] && now[1] == before[1]
            })
        let running = group.processIdentifiers.compactMap { $0 }
        group.terminateAll()
        #expect(running.allSatisfy { !Self.isAlive($0) })
        #expect(group.failedStarts.isEmpty)
    }

    @Test("Without a restart policy, members are not restarted and a child that ignores SIGTERM is killed")
    func terminatesStubbornChild() throws {
        let group = ProcessGroup(terminationGrace: .milliseconds(200))
        let stubborn = try group.start(.init(executable: "/bin/sh", arguments: ["-c", "trap '' TERM; sleep 30"]))
        let quitter = try group.start(.init(executable: "/bin/sh", arguments: ["-c", "exit 3"]))
        #expect(try quitter.waitForExit(seconds: 10).status == 3)
        usleep(100_000)  // lets the shell install its trap
        let started = ContinuousClock.now
        group.terminateAll()
        #expect(!Self.isAlive(stubborn.processIdentifier))
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        #expect(group.restarts == 0)
    }

    @Test("A child's output goes to its log, appended")
    func logsOutput() throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("maze-group-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        for word in ["one", "two"] {
            try ChildProcess(executable: "/bin/echo", arguments: [word], output: .log(log)).waitForExit(seconds: 10)
        }
        #expect(try String(contentsOf: log, encoding: .utf8) == "one\ntwo\n")
    }

    @Test("A missing executable is refused up front")
    func missingExecutable() {
        #expect(throws: (any Error).self) {
            try ProcessGroup().start(.init(executable: "/nonexistent/maze", arguments: []))
        }
    }

    @Test("A stop signal is set once; only the first stop() reports it")
    func stopSignal() {
        let signal = StopSignal()
        #expect(!signal.isStopped)
        #expect(signal.stop())
        #expect(!signal.stop())
        #expect(signal.isStopped)
    }
}
