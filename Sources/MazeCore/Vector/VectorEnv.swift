/// A batch of identical single-step environments stepped together, with observations, rewards and
/// flags in preallocated contiguous buffers and automatic reset of finished episodes.
///
/// Row `i` of every buffer belongs to env `i`. After ``step()`` a finished env's row of
/// ``observations`` already holds the first observation of its next episode; the last observation
/// of the finished episode is in the same row of ``finalObservations``.
public protocol VectorEnv: AnyObject {
    /// The number of environments.
    var count: Int { get }
    /// The observation space of each env; a row is ``DictSpace/flatCount`` floats in key order.
    var observationSpace: DictSpace { get }
    /// The action space of each env; a row of ``actions`` uses ``DictSpace/unflatten(_:)`` layout.
    var actionSpace: DictSpace { get }
    /// `count × observationSpace.flatCount` observations.
    var observations: [Float] { get }
    /// Final observations of the episodes that ended in the last step (other rows are stale).
    var finalObservations: [Float] { get }
    /// `count × actionSpace.flatCount` actions: write them before calling ``step()``.
    var actions: [Float] { get set }
    /// The last step's rewards.
    var rewards: [Float] { get }
    /// Whether each env's episode ended by its dynamics in the last step.
    var terminated: [Bool] { get }
    /// Whether each env's episode was cut short (time limit) in the last step.
    var truncated: [Bool] { get }
    /// Seeds env `i` with the `i`-th seed drawn from `MazeRandom(seed:)` and resets all of them.
    func reset(seed: UInt64) throws
    /// Steps every env with its row of ``actions``, resetting those whose episode ended.
    func step() throws
    /// The environments, for reading statistics from their wrappers (not for stepping).
    var envs: [any StructuredEnv] { get }
}

extension VectorEnv {
    /// Whether each env's episode ended (either way) in the last step.
    public var dones: [Bool] { zip(terminated, truncated).map { $0 || $1 } }
}
