/// Chooses actions for the actors of a structured environment (Maze's Policy).
public protocol Policy: AnyObject {
    /// Seeds the policy's own ``MazeRandom`` (sampling, exploration).
    func seed(_ seed: UInt64)
    /// Clears per-episode state; called after every environment reset. The default does nothing.
    func reset()
    /// The action for `actorID` given `observation`; `deterministic` asks for the most likely action.
    /// `env` is the environment being acted in, for heuristics that read its state.
    func computeAction(
        observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?
    ) throws -> Action
}

extension Policy {
    public func reset() {}
}
