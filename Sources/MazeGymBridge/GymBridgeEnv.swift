import MazeCore

/// A Gymnasium env living in an env-server process, seen as a single-step, single-agent ``StructuredEnv``.
///
/// Wrappers, vector envs, trainers, rollouts and recording use it like a native env. In a vector env its steps
/// are batched (``BatchSteppedEnv``): the vector env stages every env's action, its ``GymBridgeHost`` steps each
/// server's envs with one message, and the step through the wrapper stack then finds its result ready. An
/// episode that ends is reset by the server in the same message; the following ``reset()`` returns that
/// first observation without another message (unless a seed was given since).
///
/// Threading: see ``GymBridgeHost``.
public final class GymBridgeEnv: BatchSteppedEnv {
    private let host: GymBridgeHost
    private let index: Int
    private let observation: DictSpace
    private let action: DictSpace
    public let events = EventContext()
    /// Gymnasium's own time limit (`spec.max_episode_steps`), which truncates episodes on the server.
    public let episodeStepLimit: Int?

    init(host: GymBridgeHost, index: Int, observationSpace: DictSpace, actionSpace: DictSpace, episodeStepLimit: Int?) {
        self.host = host
        self.index = index
        observation = observationSpace
        action = actionSpace
        self.episodeStepLimit = episodeStepLimit
    }

    public var observationSpaces: [StepKey: DictSpace] { [0: observation] }
    public var actionSpaces: [StepKey: DictSpace] { [0: action] }
    public var actorID: ActorID { .single }
    public var agentCounts: [StepKey: Int] { [0: 1] }
    public func isActorDone() -> Bool { false }
    public func calculateKPIs() -> [String: Double] { [:] }
    public func seed(_ seed: UInt64) { host.seed(index, seed) }
    public func close() {}

    /// A text picture from the server: `ansi` text, a frame summary for `rgb_array`, else the env's state.
    public func render() -> String? { try? host.render(index) }

    public var stepGroup: any BatchStepGroup { host }

    public func stage(flatAction: UnsafeBufferPointer<Float>) { host.stage(index, flatAction) }

    public func reset() throws -> Observation {
        try host.reset(index).withUnsafeBufferPointer { observation.unflatten($0) }
    }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        try copy(host.reset(index), into: buffer)
    }

    public func step(_ action: Action) throws -> StepResult {
        let row = try self.action.flatten(action)
        let (next, outcome) = try row.withUnsafeBufferPointer { try host.step(index, $0) }
        return StepResult(observation: next.withUnsafeBufferPointer { observation.unflatten($0) }, outcome: outcome)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws -> StepOutcome
    {
        let row = try self.action.flatten(action)
        return try row.withUnsafeBufferPointer { try step(flatAction: $0, observationInto: buffer) }
    }

    public func step(flatAction: UnsafeBufferPointer<Float>, observationInto buffer: UnsafeMutableBufferPointer<Float>)
        throws
        -> StepOutcome
    {
        let (next, outcome) = try host.step(index, flatAction)
        try copy(next, into: buffer)
        return outcome
    }

    private func copy(_ row: [Float], into buffer: UnsafeMutableBufferPointer<Float>) throws {
        guard row.count == buffer.count else {
            throw GymBridgeError.malformedReply(
                env: host.spec.displayName, detail: "an observation of \(row.count) values, expected \(buffer.count)")
        }
        _ = buffer.initialize(from: row)
    }
}
