/// The physics of one Gymnasium classic-control task, stepped exactly as Gymnasium does it.
///
/// Conforming types hold only the physical state (float64 like the reference) and know nothing about
/// episodes; ``ClassicControlEnv`` adds the time limit, seeding, spaces and the MazeCore protocols.
public protocol ClassicControlDynamics: Sendable {
    /// What the agent sends: an index for discrete tasks, a torque or force for continuous ones.
    associatedtype Action: Sendable

    /// Gymnasium's registered id, e.g. `"CartPole-v1"`; the registry knows the env under this name.
    static var gymID: String { get }
    /// Gymnasium's `max_episode_steps` for ``gymID``: the step after which an episode is truncated.
    static var maxEpisodeSteps: Int { get }
    /// Lower bounds of the float32 observation, as in Gymnasium's observation space.
    static var observationLow: [Float] { get }
    /// Upper bounds of the float32 observation, as in Gymnasium's observation space.
    static var observationHigh: [Float] { get }

    /// The internal state in the order of Gymnasium's `env.unwrapped.state`.
    var stateVector: [Double] { get }

    /// Restores a state recorded from Gymnasium (or from ``stateVector``).
    /// - Throws: ``ClassicControlError/wrongStateLength(expected:actual:)`` for a vector of the wrong size.
    init(stateVector: [Double]) throws

    /// Draws a start state from the same distribution as Gymnasium's `reset`.
    static func randomStart(using generator: inout some RandomNumberGenerator) -> Self

    /// Advances the physics by one step and returns Gymnasium's reward and termination flag.
    /// - Throws: ``ClassicControlError/invalidAction(_:)`` for a discrete action outside the action space.
    mutating func step(_ action: Action) throws -> ClassicControlTransition

    /// Writes the float32 observation of the current state into `buffer` (which has room for
    /// `observationLow.count` values), so that vector envs can fill batch buffers without allocating.
    func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>)
}

/// Reward and termination of one physics step; truncation is decided by the episode, not the physics.
public struct ClassicControlTransition: Sendable, Equatable {
    public var reward: Double
    public var terminated: Bool

    public init(reward: Double, terminated: Bool) {
        self.reward = reward
        self.terminated = terminated
    }
}

/// Bad input to a classic-control task.
public enum ClassicControlError: Error, Equatable, CustomStringConvertible {
    case invalidAction(Int)
    case wrongStateLength(expected: Int, actual: Int)

    public var description: String {
        switch self {
        case let .invalidAction(action):
            return "Action \(action) is outside the discrete action space."
        case let .wrongStateLength(expected, actual):
            return "A state vector of \(expected) values is needed, got \(actual)."
        }
    }
}

extension ClassicControlDynamics {
    /// Number of values in one observation.
    public static var observationCount: Int { observationHigh.count }

    /// The float32 observation of the current state (allocates; hot paths use ``writeObservation(into:)``).
    public var observation: [Float] {
        [Float](unsafeUninitializedCapacity: Self.observationCount) { buffer, count in
            writeObservation(into: buffer)
            count = Self.observationCount
        }
    }

    /// Checks the length of a recorded state vector before a conforming type unpacks it.
    static func validated(_ vector: [Double], count: Int) throws -> [Double] {
        guard vector.count == count else {
            throw ClassicControlError.wrongStateLength(expected: count, actual: vector.count)
        }
        return vector
    }
}
