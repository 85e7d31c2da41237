import Foundation
import MazeDistributed
import Testing

@Suite("Actor supervisor")
struct ActorSupervisorTests {
    private static func isAlive(_ pid: Int32) -> Bool {
        // A zombie still answers kill(0); /proc tells a reaped or dead process apart.
        guard kill(pid, 0) == 0 else { return false }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !status.contains(") Z ")
    }

    @Test("A worker killed with SIGKILL is restarted; stop() terminates every worker")
    func restartsKilledWorker() throws {
        var configuration = ActorSupervisor.Configuration(executable: "/bin/sleep", workers: 2) { _ in ["30"] }
        configuration.initialBackoff = .milliseconds(20)
        configuration.terminationGrace = .seconds(2)
        let events = Shared<[ActorSupervisor.Event]>([])
        configuration.onEvent = { event in events.set(events.current + [event]) }
        let supervisor = try ActorSupervisor(configuration: configuration)
        supervisor.start()
        defer { supervisor.stop() }
        #expect(eventually { supervisor.processIdentifiers.allSatisfy { $0 != nil } })
        let before = supervisor.processIdentifiers.compactMap { $0 }
        try #require(before.count == 2)
        kill(before[0], SIGKILL)
        #expect(eventually { supervisor.restarts == 1 })
        #expect(events.current == [.exited(index: 0, status: SIGKILL, uncaughtSignal: true, restartIn: .milliseconds(40))])
        #expect(eventually {
            let now = supervisor.processIdentifiers
            return now[0] != nil && now[0] != before[0] && now[1] == before[1]
        })
        let running = supervisor.processIdentifiers.compactMap { $0 }
        supervisor.stop()
        #expect(running.allSatisfy { !Self.isAlive($0) })
        #expect(supervisor.failedStarts.isEmpty)
    }

    @Test("A missing executable or zero workers is refused up front")
    func invalidConfiguration() {
        #expect(throws: ServiceError.self) {
            try ActorSupervisor(configuration: .init(executable: "/nonexistent/maze", workers: 1) { _ in [] })
        }
        #expect(throws: ServiceError.self) {
            try ActorSupervisor(configuration: .init(executable: "/bin/sleep", workers: 0) { _ in [] })
        }
    }
}
