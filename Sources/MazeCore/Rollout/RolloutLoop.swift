/// What happened in one rolled-out episode.
package struct EpisodeOutcome: Sendable, Hashable {
    package var episodeIndex: Int
    package var envSeed: UInt64
    package var agentSeed: UInt64
    package var totalReward: Double
    package var stepCount: Int
}

/// Observes a rollout step by step (trajectory recording, event logs, rendering).
package protocol RolloutObserver: AnyObject {
    /// Called after every step with what the actor saw and did.
    func didStep(_ step: TrajectoryStep, env: any StructuredEnv, episodeIndex: Int, stepIndex: Int) throws
    /// Called when an episode has ended.
    func didFinishEpisode(_ outcome: EpisodeOutcome) throws
}

/// Maze's RolloutRunner helpers: the agent–environment interaction loop.
package enum RolloutLoop {
    /// Runs one episode from `observation` (as returned by reset) until the env reports done.
    /// Returns the total reward and the number of steps.
    @discardableResult
    package static func runEpisode(
        env: any StructuredEnv, observation: Observation, agent: any Policy, deterministic: Bool, render: Bool,
        renderOutput: (String) -> Void = { print($0) }, episodeIndex: Int = 0, observer: (any RolloutObserver)? = nil
    ) throws -> (totalReward: Double, stepCount: Int) {
        var observation = observation
        var totalReward = 0.0
        var stepCount = 0
        while true {
            let actorID = env.actorID
            let action = try agent.computeAction(
                observation: observation, actorID: actorID, deterministic: deterministic, env: env)
            let result = try env.step(action)
            try observer?.didStep(
                TrajectoryStep(
                    actorID: actorID, observation: observation, action: action, reward: result.reward,
                    terminated: result.terminated, truncated: result.truncated, info: result.info),
                env: env, episodeIndex: episodeIndex, stepIndex: stepCount)
            totalReward += result.reward
            stepCount += 1
            if render, let picture = env.render() { renderOutput(picture) }
            if result.done { return (totalReward, stepCount) }
            observation = result.observation
        }
    }

    /// Runs `nEpisodes` episodes (at most as many as seeds), seeding env and agent before each reset.
    /// `afterReset` is told about every reset (e.g. to notify an observer of the new episode).
    @discardableResult
    package static func runInteractionLoop(
        env: any StructuredEnv, agent: any Policy, nEpisodes: Int, envSeeds: [UInt64], agentSeeds: [UInt64],
        deterministic: Bool, render: Bool = false, renderOutput: (String) -> Void = { print($0) },
        afterReset: ((Observation) -> Void)? = nil,
        firstEpisodeIndex: Int = 0, observer: (any RolloutObserver)? = nil
    ) throws -> [EpisodeOutcome] {
        let count = min(nEpisodes, envSeeds.count, agentSeeds.count)
        return try (0..<count).map { offset in
            env.seed(envSeeds[offset])
            agent.seed(agentSeeds[offset])
            let observation = try env.reset()
            agent.reset()
            afterReset?(observation)
            let index = firstEpisodeIndex + offset
            let (reward, steps) = try runEpisode(
                env: env, observation: observation, agent: agent, deterministic: deterministic, render: render,
                renderOutput: renderOutput, episodeIndex: index, observer: observer)
            let outcome = EpisodeOutcome(
                episodeIndex: index, envSeed: envSeeds[offset], agentSeed: agentSeeds[offset], totalReward: reward,
                stepCount: steps)
            try observer?.didFinishEpisode(outcome)
            return outcome
        }
    }
}
