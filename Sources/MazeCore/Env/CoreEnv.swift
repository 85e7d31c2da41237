/// The simulation itself in Maze's terms: it steps on MazeActions and produces MazeStates, reward,
/// done and info, and knows nothing about observation or action spaces.
///
/// Environments are reference types: they hold mutable simulation state and are shared by the
/// wrappers around them.
public protocol CoreEnv: AnyObject {
    /// The full state of the simulation (what an observation is computed from).
    associatedtype MazeState
    /// The action in the simulation's own terms.
    associatedtype MazeAction

    /// Starts a new episode and returns its first state.
    func reset() throws -> MazeState
    /// Applies `action` and returns the next state, reward, done flag and info.
    func step(_ action: MazeAction) throws -> CoreStepResult<MazeState>
    /// Seeds the environment's own ``MazeRandom`` (used from the next reset on).
    func seed(_ seed: UInt64)
    /// Releases resources; the default does nothing.
    func close()
    /// The current state.
    var mazeState: MazeState { get }
    /// The actor expected to act next; `(0, 0)` by default.
    var actorID: ActorID { get }
    /// Whether the actor that just acted is done (distinct from the episode being done).
    func isActorDone() -> Bool
    /// Agents per sub-step key (`-1` for a dynamic count); `[0: 1]` by default.
    var agentCounts: [StepKey: Int] { get }
    /// The event recorder the simulation reports its events to.
    var events: EventContext { get }
    /// KPIs of the finished episode, computed from ``events`` and the last state; none by default.
    func calculateKPIs() -> [String: Double]
    /// A text picture of the current state after `action`, or `nil` if the env has no renderer.
    func render(action: MazeAction?) -> String?
}

extension CoreEnv {
    public func close() {}
    public var actorID: ActorID { .single }
    public func isActorDone() -> Bool { false }
    public var agentCounts: [StepKey: Int] { [0: 1] }
    public func calculateKPIs() -> [String: Double] { [:] }
    public func render(action: MazeAction?) -> String? { nil }
}
