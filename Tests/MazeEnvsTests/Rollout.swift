import MazeCore

/// Resets `env` and lets `policy` act for `steps` steps (stopping early at the end of an episode when
/// `untilDone`; sampling unless `deterministic`); `inspect` sees each observation, actor and chosen
/// action before the step.
@discardableResult
func rollout(
    _ env: any StructuredEnv, policy: any Policy, steps: Int, untilDone: Bool = false, deterministic: Bool = true,
    inspect: (_ observation: Observation, _ actorID: ActorID, _ action: Action) throws -> Void = { _, _, _ in }
) throws -> [StepResult] {
    var observation = try env.reset()
    var results: [StepResult] = []
    for _ in 0..<steps {
        let action = try policy.computeAction(
            observation: observation, actorID: env.actorID, deterministic: deterministic, env: env)
        try inspect(observation, env.actorID, action)
        let result = try env.step(action)
        results.append(result)
        observation = result.observation
        if untilDone, result.done { break }
    }
    return results
}
