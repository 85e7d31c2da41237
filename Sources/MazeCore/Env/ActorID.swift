/// The key of a sub-step or policy in a structured environment (Maze allows integers and strings).
public struct StepKey: Sendable, Hashable, Comparable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The key as text; integer keys are stored as their decimal form.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(_ value: Int) { rawValue = String(value) }
    public init(integerLiteral value: Int) { self.init(value) }
    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { rawValue }

    public static func < (lhs: StepKey, rhs: StepKey) -> Bool {
        switch (Int(lhs.rawValue), Int(rhs.rawValue)) {
        case (let left?, let right?): left < right
        default: lhs.rawValue < rhs.rawValue
        }
    }
}

/// Identifies the actor that acts next: which policy (step key) and which agent of that policy.
public struct ActorID: Sendable, Hashable, CustomStringConvertible {
    /// The sub-step / policy key.
    public var stepKey: StepKey
    /// The agent within that policy.
    public var agentID: Int

    public init(stepKey: StepKey, agentID: Int) {
        self.stepKey = stepKey
        self.agentID = agentID
    }

    /// The single actor of a flat environment, `(0, 0)`.
    public static let single = ActorID(stepKey: 0, agentID: 0)

    public var description: String { "(\(stepKey), \(agentID))" }
}
