import Foundation
import MazeCore

/// The env servers of one bridged env config and every env made from it: starts the servers, places envs
/// on them round-robin, and steps all staged envs of a server with one message (``BatchStepGroup``).
///
/// Faults: a server that exits (crash, `kill -9`) is restarted with its envs; an episode it cut off ends
/// as *truncated* with its last observation, and the env's next reset starts a fresh episode (seeded from
/// its last seed plus the restart count). A server that does not answer within `env.server_timeout` is
/// killed and the step fails with ``GymBridgeError/timedOut(env:request:seconds:pid:)``. Python exceptions
/// fail the step with their traceback.
///
/// Threading: every method takes the host's lock, so envs of one host may be used from any thread, one
/// call at a time; vector envs call it from the thread that steps them.
public final class GymBridgeHost: BatchStepGroup, @unchecked Sendable {
    public let spec: GymEnvSpec
    private let lock = NSLock()
    private var servers: [Server?]
    private var spaces: BridgeSpaces?
    private var envs: [EnvState] = []
    private var restartCount = 0

    private struct Server {
        var process: EnvServerProcess
        /// Env slots in use on the server (the `init` request makes slot 0).
        var slots = 0
        var initPending = true
    }

    private struct Prefetched {
        var action: [Float]
        var observation: [Float]
        var outcome: StepOutcome
    }

    private struct EnvState {
        let server: Int
        let slot: Int
        /// The seed of the next reset, if one was given since the last reset.
        var seed: UInt64?
        /// The last seed given: envs of a restarted server are reseeded from it.
        var lastSeed: UInt64?
        var staged: [Float]?
        var prefetched: Prefetched?
        /// The first observation of the next episode, when the server has already reset the env.
        var nextEpisode: [Float]?
        var lastObservation: [Float] = []
        /// Its server was restarted during an episode: the next step ends that episode as truncated.
        var lost = false
    }

    /// A host for `spec`; servers start when the first envs are made.
    public init(spec: GymEnvSpec) throws {
        self.spec = spec
        servers = Array(repeating: nil, count: spec.servers)
    }

    deinit {
        for server in servers { server?.process.kill() }
    }

    /// Server restarts so far (crashed or killed servers).
    public var restarts: Int { lock.withLock { restartCount } }

    /// The process ids of the running servers.
    public var serverPIDs: [Int32] { lock.withLock { servers.compactMap { $0?.process.pid } } }

    /// A new env on the next server (round-robin); the first env of a server uses the env the server made
    /// to describe the spaces.
    public func makeEnv() throws -> GymBridgeEnv {
        try lock.withLock {
            let index = envs.count
            let server = index % servers.count
            if servers[server] == nil { servers[server] = Server(process: try startServer()) }
            if spaces == nil { try awaitInit(server) }
            var slot = 0
            if let used = servers[server]?.slots, used > 0 {
                guard let reply = try request(server, BridgeMessage.add(count: 1), name: "add") else {
                    throw GymBridgeError.serverStartFailed(
                        env: spec.displayName, detail: "the server exited while making an env")
                }
                slot = try reply.integers("slots").first ?? 0
            }
            servers[server]?.slots += 1
            envs.append(EnvState(server: server, slot: slot))
            guard let spaces else { throw GymBridgeError.malformedReply(env: spec.displayName, detail: "no spaces") }
            return GymBridgeEnv(
                host: self, index: index, observationSpace: spaces.observation, actionSpace: spaces.action,
                episodeStepLimit: spaces.maxEpisodeSteps)
        }
    }

    // MARK: Env operations (GymBridgeEnv)

    func seed(_ index: Int, _ seed: UInt64) {
        lock.withLock {
            envs[index].seed = seed
            envs[index].lastSeed = seed
        }
    }

    func reset(_ index: Int) throws -> [Float] {
        try lock.withLock {
            var env = envs[index]
            defer { envs[index] = env }
            env.prefetched = nil
            env.staged = nil
            if env.seed == nil, !env.lost, let next = env.nextEpisode {
                env.nextEpisode = nil
                env.lastObservation = next
                return next
            }
            for attempt in 0..<2 {
                let message = try BridgeMessage.reset(slots: [env.slot], seeds: [env.seed])
                if let reply = try request(env.server, message, name: "reset") {
                    let observation = try reply.observationRows("obs", space: observationSpace, rows: 1)[0]
                    (env.seed, env.nextEpisode, env.lost, env.lastObservation) = (nil, nil, false, observation)
                    return observation
                }
                envs[index] = env
                try restart(env.server)
                env = envs[index]
                if attempt == 1 { break }
            }
            throw GymBridgeError.serverStartFailed(
                env: spec.displayName, detail: "the server exited twice while resetting")
        }
    }

    func stage(_ index: Int, _ action: UnsafeBufferPointer<Float>) {
        lock.withLock { envs[index].staged = Array(action) }
    }

    func step(_ index: Int, _ action: UnsafeBufferPointer<Float>) throws -> (observation: [Float], outcome: StepOutcome)
    {
        try lock.withLock {
            if let prefetched = envs[index].prefetched {
                envs[index].prefetched = nil
                guard prefetched.action.elementsEqual(action) else {
                    throw GymBridgeError.actionChangedByWrapper(env: spec.displayName)
                }
                return (prefetched.observation, prefetched.outcome)
            }
            if envs[index].lost { return cutOff(index) }
            let env = envs[index]
            let message = try BridgeMessage.step(slots: [env.slot], actions: [Array(action)], space: actionSpace)
            guard let reply = try request(env.server, message, name: "step") else {
                try restart(env.server)
                return cutOff(index)
            }
            let result = try results(reply, indices: [index])[0]
            return (result.observation, result.outcome)
        }
    }

    /// Steps every staged env: one `step` message per server, all sent before any reply is awaited, so the
    /// servers step in parallel.
    public func stepStaged() throws {
        try lock.withLock {
            var staged: [Int: [Int]] = [:]
            for index in envs.indices where envs[index].staged != nil {
                if envs[index].lost {
                    let action = envs[index].staged ?? []
                    let cut = cutOff(index)
                    envs[index].prefetched = Prefetched(
                        action: action, observation: cut.observation, outcome: cut.outcome)
                    envs[index].staged = nil
                } else {
                    staged[envs[index].server, default: []].append(index)
                }
            }
            var sent: [(server: Int, indices: [Int])] = []
            for (server, indices) in staged.sorted(by: { $0.key < $1.key }) {
                try awaitInit(server)
                let message = try BridgeMessage.step(
                    slots: indices.map { envs[$0].slot }, actions: indices.map { envs[$0].staged ?? [] },
                    space: actionSpace)
                try servers[server]?.process.send(message)
                sent.append((server, indices))
            }
            // Every reply is received before an error is thrown, so no server is left with an unread reply.
            var firstError: (any Error)?
            for (server, indices) in sent {
                let actions = indices.map { envs[$0].staged ?? [] }
                for index in indices { envs[index].staged = nil }
                do {
                    guard let process = servers[server]?.process, let reply = try process.receive(request: "step")
                    else {
                        try restart(server)
                        for (index, action) in zip(indices, actions) {
                            let cut = cutOff(index)
                            envs[index].prefetched = Prefetched(
                                action: action, observation: cut.observation, outcome: cut.outcome)
                        }
                        continue
                    }
                    for (index, (action, result)) in zip(indices, zip(actions, try results(reply, indices: indices))) {
                        envs[index].prefetched = Prefetched(
                            action: action, observation: result.observation, outcome: result.outcome)
                    }
                } catch {
                    firstError = firstError ?? error
                }
            }
            if let firstError { throw firstError }
        }
    }

    func render(_ index: Int) throws -> String? {
        try lock.withLock {
            guard
                let reply = try request(
                    envs[index].server, BridgeMessage.render(slot: envs[index].slot), name: "render")
            else { return nil }
            return reply.root["text"]?.stringValue
        }
    }

    // MARK: Internals (lock held)

    private var observationSpace: DictSpace { spaces?.observation ?? DictSpace() }
    private var actionSpace: DictSpace { spaces?.action ?? DictSpace() }

    /// The step results of `indices` (the rows of `reply`), recording each env's last observation and, for
    /// episodes that ended, the first observation of the next one.
    private func results(_ reply: BridgeReply, indices: [Int]) throws -> [(observation: [Float], outcome: StepOutcome)]
    {
        let rows = indices.count
        let observations = try reply.observationRows("obs", space: observationSpace, rows: rows)
        let rewards = try reply.floats(try reply.require("reward"), name: "reward", rows: rows, width: 1)
        let terminated = try reply.floats(try reply.require("terminated"), name: "terminated", rows: rows, width: 1)
        let truncated = try reply.floats(try reply.require("truncated"), name: "truncated", rows: rows, width: 1)
        let finals =
            reply.root["final"] == nil ? nil : try reply.observationRows("final", space: observationSpace, rows: rows)
        return indices.enumerated().map { row, index in
            let outcome = StepOutcome(
                reward: Double(rewards[row]), terminated: terminated[row] != 0, truncated: truncated[row] != 0)
            var observation = observations[row]
            if outcome.done, let finals {
                envs[index].nextEpisode = observation
                observation = finals[row]
            }
            envs[index].lastObservation = observation
            return (observation, outcome)
        }
    }

    /// The end of an episode whose server was lost: truncated, with the last observation seen.
    private func cutOff(_ index: Int) -> (observation: [Float], outcome: StepOutcome) {
        envs[index].lost = false
        envs[index].nextEpisode = nil
        return (envs[index].lastObservation, StepOutcome(reward: 0, terminated: false, truncated: true))
    }

    private func startServer() throws -> EnvServerProcess {
        let process = try EnvServerProcess(spec: spec)
        try process.send(try BridgeMessage.initialize(spec))
        return process
    }

    /// Waits for the server's `init` reply (start-up: importing Gymnasium, making the env) and checks its spaces.
    private func awaitInit(_ server: Int) throws {
        guard let process = servers[server]?.process, servers[server]?.initPending == true else { return }
        guard let reply = try process.receive(request: "init", timeout: max(process.timeout, 120)) else {
            throw GymBridgeError.serverStartFailed(
                env: spec.displayName,
                detail: "the server \(process.exitDescription) before answering (its error output is above); is the "
                    + "maze_gym_bridge package installed for \(spec.python)? (`\(spec.python) -m pip install ./python`)"
            )
        }
        servers[server]?.initPending = false
        let described = try BridgeSpaces(reply)
        if let spaces, spaces != described {
            throw GymBridgeError.spaceMismatch(env: spec.displayName, detail: "its env servers report different spaces")
        }
        spaces = described
    }

    /// Sends one request and waits for its reply; `nil` if the server exited.
    private func request(_ server: Int, _ message: Data, name: String) throws -> BridgeReply? {
        try awaitInit(server)
        guard let process = servers[server]?.process else { return nil }
        try process.send(message)
        return try process.receive(request: name)
    }

    /// Replaces a server that exited by a new one with as many envs, all starting afresh.
    private func restart(_ server: Int) throws {
        let slots = servers[server]?.slots ?? 0
        servers[server]?.process.kill()
        restartCount += 1
        servers[server] = Server(process: try startServer(), slots: slots)
        try awaitInit(server)
        if slots > 1 {
            guard let reply = try request(server, BridgeMessage.add(count: slots - 1), name: "add") else {
                throw GymBridgeError.serverStartFailed(
                    env: spec.displayName, detail: "the restarted server exited at once")
            }
            _ = reply
        }
        for index in envs.indices where envs[index].server == server {
            envs[index].lost = true
            envs[index].nextEpisode = nil
            envs[index].prefetched = nil
            envs[index].seed = envs[index].lastSeed.map { $0 &+ UInt64(restartCount) }
        }
        FileHandle.standardError.write(
            Data(
                "maze: the Gymnasium env server for \(spec.displayName) exited; restarted it (restart \(restartCount)); its episodes end as truncated\n"
                    .utf8))
    }
}
