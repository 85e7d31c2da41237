import Foundation
import MazeCore
import MazeGymBridge
import MazeSystem
import MazeTestSupport
import Testing

/// Env servers that crash, raise, hang, return NaN or lose their parent.
@Suite(.serialized) struct GymBridgeFaultTests {
    @Test func killedServerIsRestartedAndItsEpisodesEndTruncated() throws {
        let host = try BridgeTestSupport.host(target: "bridge_test_envs:counting", servers: 2, ["length": 1000])
        let vector = try SequentialVectorEnv(envs: try (0..<4).map { _ in try host.makeEnv() })
        try vector.reset(seed: 1)
        let action: [Float] = [0, 0, 0, 0, 1]
        vector.actions = Array([[Float]](repeating: action, count: 4).joined())
        for _ in 0..<3 { try vector.step() }
        let pids = host.serverPIDs
        #expect(pids.count == 2)
        kill(pids[0], SIGKILL)
        try vector.step()
        // Envs 0 and 2 live on server 0 (round-robin): their episodes were cut, the others go on.
        #expect(vector.truncated == [true, false, true, false])
        #expect(vector.terminated == [false, false, false, false])
        #expect(host.restarts == 1)
        #expect(host.serverPIDs.count == 2 && host.serverPIDs[0] != pids[0])
        for _ in 0..<5 {
            try vector.step()
            #expect(vector.dones == [false, false, false, false])
        }
    }

    @Test func pythonExceptionReachesTheUserWithItsTraceback() throws {
        let host = try BridgeTestSupport.host(target: "bridge_test_envs:failing", ["fail_at": 3])
        let vector = try SequentialVectorEnv(envs: [try host.makeEnv()])
        try vector.reset(seed: 0)
        vector.actions = [1]
        try vector.step()
        try vector.step()
        do {
            try vector.step()
            Issue.record("the step that raised in Python succeeded")
        } catch let error as GymBridgeError {
            guard case .pythonException(let env, let message, let traceback) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(env == "bridge_test_envs:failing")
            #expect(message == "RuntimeError: the conveyor belt jammed")
            #expect(traceback.contains("Traceback (most recent call last)"))
            #expect(traceback.contains("bridge_test_envs.py"))
            #expect(error.description.contains("the conveyor belt jammed"))
        }
    }

    @Test func nanObservationsAreRefused() throws {
        let host = try BridgeTestSupport.host(target: "bridge_test_envs:failing", ["nan_at": 2])
        let env = try host.makeEnv()
        _ = try env.reset()
        _ = try env.step(["action": .scalar(0)])
        #expect {
            _ = try env.step(["action": .scalar(0)])
        } throws: { error in
            guard case .pythonException(_, let message, _) = error as? GymBridgeError else { return false }
            return message.contains("returned NaN in observation 'observation'") && message.contains("refused")
        }
    }

    @Test func hangingServerTimesOutWithAClearError() throws {
        let host = try BridgeTestSupport.host(
            target: "bridge_test_envs:failing", ["hang_at": 1, "server_timeout": 1.5])
        let env = try host.makeEnv()
        _ = try env.reset()
        let pid = try #require(host.serverPIDs.first)
        let started = ContinuousClock.now
        #expect {
            _ = try env.step(["action": .scalar(0)])
        } throws: { error in
            guard case .timedOut(_, let request, let seconds, let errorPID) = error as? GymBridgeError else {
                return false
            }
            return request == "step" && seconds == 1.5 && errorPID == pid
        }
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(!ProcessTable.isAlive(pid), "the hung server is killed")
    }

    @Test func serverExitsWhenItsParentIsKilled() throws {
        try BridgeTestSupport.requirePython()
        let pidFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-gym-orphan-\(UUID().uuidString).pid")
        defer { try? FileManager.default.removeItem(at: pidFile) }
        // A parent that starts a server the way MazeGymBridge does, then waits to be killed.
        let parent = try ChildProcess(
            executable: PythonInterop.interpreter,
            arguments: [
                "-c",
                """
                import os, socket, subprocess, sys, time
                listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                listener.bind("\(pidFile.path).sock")
                listener.listen(1)
                server = subprocess.Popen([sys.executable, "-m", "maze_gym_bridge", "--socket", "\(pidFile.path).sock",
                                           "--parent-pid", str(os.getpid())])
                open(sys.argv[1], "w").write(str(server.pid))
                time.sleep(120)
                """, pidFile.path,
            ])
        let deadline = Date().addingTimeInterval(60)
        var serverPID: Int32?
        while serverPID == nil, Date() < deadline {
            serverPID = (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { Int32($0) }
            usleep(50_000)
        }
        let pid = try #require(serverPID)
        #expect(ProcessTable.isAlive(pid))
        parent.kill()
        let gone = Date().addingTimeInterval(10)
        while ProcessTable.isAlive(pid), Date() < gone { usleep(50_000) }
        #expect(!ProcessTable.isAlive(pid), "the server outlived its parent")
        if ProcessTable.isAlive(pid) { kill(pid, SIGKILL) }
        unlink(pidFile.path + ".sock")
    }
}
