import MazeCore

/// The physics of one Gymnasium classic-control task, stepped exactly as Gymnasium does it.
///
/// Conforming types hold only the physical state (float64 like the reference) and know nothing about
/// episodes; ``ClassicControlCoreEnv`` adds seeding and the MazeCore protocols, and a
/// `TimeLimitWrapper` the truncation (see `Registries.registerMazeEnvs()`).
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

    /// The action space in Gymnasium's terms (Discrete or a one-element Box).
    static func makeActionSpace() throws(MazeError) -> Space
    /// Names of the ``stateVector`` entries, for the text renderer.
    static var stateLabels: [String] { get }

    /// The action held by the `"action"` entry of a space action.
    /// - Throws: ``MazeError/invalidValue(_:)`` when the entry is not a single value.
    static func action(from array: NDArray) throws(MazeError) -> Action
    /// The `"action"` entry for `action`.
    static func array(from action: Action) -> NDArray
    /// The action held by the one value of a flat action row (floored for discrete tasks, as unflattening does).
    /// - Throws: ``MazeError/invalidValue(_:)`` when a discrete value is not finite.
    static func action(flatValue: Float) throws(MazeError) -> Action

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

    /// Steps with the `"action"` entry of a space action and writes the next observation: the whole
    /// vector-env step in one call. The default implementation composes ``action(from:)``,
    /// ``step(_:)`` and ``writeObservation(into:)``; as the witness of each conformance it is compiled
    /// for the concrete type, where generic callers could not specialise the three calls.
    mutating func step(
        spaceAction: NDArray, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> ClassicControlTransition

    /// ``step(spaceAction:observationInto:)`` for the one value of a flat action row: the vector-env path,
    /// which builds no space action.
    mutating func step(
        flatAction: Float, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> ClassicControlTransition
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
        case .invalidAction(let action):
            return "Action \(action) is outside the discrete action space."
        case .wrongStateLength(let expected, let actual):
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

    public mutating func step(
        spaceAction: NDArray, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> ClassicControlTransition {
        try step(Self.action(from: spaceAction), writingObservationInto: buffer)
    }

    public static func action(flatValue: Float) throws(MazeError) -> Action {
        try action(from: NDArray(floats: [flatValue]))
    }

    public mutating func step(
        flatAction: Float, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> ClassicControlTransition {
        try step(Self.action(flatValue: flatAction), writingObservationInto: buffer)
    }

    /// One physics step followed by the observation of the new state.
    private mutating func step(
        _ action: Action, writingObservationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> ClassicControlTransition {
        let transition = try step(action)
        writeObservation(into: buffer)
        return transition
    }

    /// Checks the length of a recorded state vector before a conforming type unpacks it.
    static func validated(_ vector: [Double], count: Int) throws -> [Double] {
        guard vector.count == count else {
            throw ClassicControlError.wrongStateLength(expected: count, actual: vector.count)
        }
        return vector
    }
}

/// Discrete tasks: the action is an index into `actionCount` choices.
public protocol DiscreteClassicControlDynamics: ClassicControlDynamics where Action == Int {
    /// How many discrete actions there are.
    static var actionCount: Int { get }
}

extension DiscreteClassicControlDynamics {
    public static func makeActionSpace() throws(MazeError) -> Space { .discrete(actionCount) }

    public static func action(from array: NDArray) throws(MazeError) -> Int {
        guard array.count == 1 else { throw .invalidValue("a discrete action is one value, got \(array.count)") }
        return try array.discreteChoice("action")
    }

    public static func array(from action: Int) -> NDArray { .scalar(action) }

    public static func action(flatValue: Float) throws(MazeError) -> Int { try flatValue.flooredChoice("action") }
}

/// Continuous tasks: the action is one float32 value, clipped by the physics to ±`actionBound`.
public protocol ContinuousClassicControlDynamics: ClassicControlDynamics where Action == Float {
    /// The magnitude of the largest action (Gymnasium's Box bound).
    static var actionBound: Float { get }
}

extension ContinuousClassicControlDynamics {
    public static func makeActionSpace() throws(MazeError) -> Space {
        .box(try BoxSpace(low: -Double(actionBound), high: Double(actionBound), shape: [1]))
    }

    public static func action(from array: NDArray) throws(MazeError) -> Float {
        guard array.count == 1 else { throw .invalidValue("a continuous action is one value, got \(array.count)") }
        return array.float(at: 0)
    }

    public static func array(from action: Float) -> NDArray { NDArray(floats: [action]) }

    public static func action(flatValue: Float) throws(MazeError) -> Float { flatValue }
}
