import MazeCore
import Testing

@Suite struct VectorEnvTests {
    private func walks(_ count: Int) throws -> [any StructuredEnv] {
        try (0..<count).map { _ in try TimeLimitWrapper(makeWalkEnv(bound: 3), maxEpisodeSteps: 6) }
    }

    /// Steps `vector` with a fixed action pattern and returns every buffer after every step.
    private func trace(_ vector: any VectorEnv, steps: Int) throws -> [[Float]] {
        try vector.reset(seed: 42)
        var trace = [vector.observations]
        for step in 0..<steps {
            for env in 0..<vector.count { vector.actions[env] = Float((step + env) % 3) }
            try vector.step()
            trace.append(
                vector.observations + vector.rewards + vector.dones.map { $0 ? 1 : 0 } + vector.finalObservations)
        }
        return trace
    }

    @Test func rowsFollowTheEnvsAndFinishedEpisodesResetAutomatically() throws {
        let envs = try walks(3)
        let vector = try SequentialVectorEnv(envs: envs)
        #expect(vector.observations.count == 3 * 2)
        #expect(vector.actions.count == 3)
        try vector.reset(seed: 1)
        // row i is env i: replaying env i's seed through a flat view gives the same first observation
        var seeds = MazeRandom(seed: 1)
        for index in 0..<3 {
            let single = try FlatEnvView(makeWalkEnv(bound: 3))
            #expect(Array(vector.observations[index * 2..<index * 2 + 2]) == (try single.reset(seed: seeds.nextSeed())))
        }
        var sawReset = false
        for _ in 0..<12 {
            for env in 0..<3 { vector.actions[env] = 2 }  // always right: terminates within 5 steps
            try vector.step()
            for env in 0..<3 where vector.dones[env] {
                sawReset = true
                #expect(vector.finalObservations[env * 2] == 3)
                #expect(vector.observations[env * 2 + 1] == 0)  // a fresh episode has taken no steps
            }
        }
        #expect(sawReset)
    }

    @Test func threadedMatchesSequentialForTheSameSeed() throws {
        let sequential = try trace(SequentialVectorEnv(envs: walks(5)), steps: 30)
        let threaded = try trace(ThreadedVectorEnv(envs: walks(5), threads: 2), steps: 30)
        #expect(sequential == threaded)
        #expect(sequential != (try trace(SequentialVectorEnv(envs: walks(4)), steps: 30)))
    }

    @Test func mismatchedOrStructuredEnvsAreRejected() throws {
        #expect(throws: MazeError.self) { try SequentialVectorEnv(envs: []) }
        #expect(throws: MazeError.self) { try SequentialVectorEnv(envs: [TwoStepEnv()]) }
        let echo = EchoEnv(
            observationSpace: ["x": .discrete(2)], actionSpace: ["move": .discrete(3)], observation: ["x": .scalar(0)])
        #expect(throws: MazeError.self) { try ThreadedVectorEnv(envs: [try makeWalkEnv(), echo], threads: 2) }
    }
}

@Suite struct PolicyAndRegistryTests {
    @Test func randomPolicyNeverSamplesAMaskedAction() throws {
        let env = TwoStepEnv()
        let policy = RandomPolicy(actionSpaces: env.actionSpaces, seed: 5)
        var observation = try env.reset()
        var chosen: Set<Int> = []
        for _ in 0..<300 {
            let action = try policy.computeAction(
                observation: observation, actorID: env.actorID, deterministic: false, env: env)
            if env.actorID.stepKey == 0 { chosen.insert(try action.require("slot").int(at: 0)) }
            let result = try env.step(action)
            observation = result.done ? try env.reset() : result.observation
        }
        #expect(chosen == env.allowedSlots)
        #expect(throws: MazeError.self) {
            try policy.computeAction(
                observation: ["slot_mask": NDArray(ints: [0, 0, 0, 0])], actorID: .single, deterministic: false,
                env: nil)
        }
    }

    @Test func unknownNamesAreReportedWithTheNearestRegisteredName() throws {
        var registries = Registries.builtIn
        registries.envs.register("Walk-v0", keys: []) { _ in try makeWalkEnv() }
        #expect(throws: MazeError.unknownName(kind: "environment", name: "Walk-v1", suggestion: "Walk-v0")) {
            try registries.makeEnv("Walk-v1")
        }
        do {
            _ = try registries.wrap(try makeWalkEnv(), with: [("TimeLimitWraper", ["max_episode_steps": 5])])
            Issue.record("an unknown wrapper must fail")
        } catch let error as MazeError {
            #expect(error.description == "unknown wrapper 'TimeLimitWraper'; did you mean 'TimeLimitWrapper'?")
        }
        #expect(throws: ConfigError.unknownKey(path: "max_steps", known: ["max_episode_steps"], suggestion: nil)) {
            try registries.wrap(try makeWalkEnv(), with: [("TimeLimitWrapper", ["max_steps": 5])])
        }
        #expect(throws: ConfigError.self) {
            try registries.wrap(try makeWalkEnv(), with: [("TimeLimitWrapper", ["max_episode_steps": "five"])])
        }
        let policy = try registries.makePolicy(
            "maze.core.agent.random_policy.RandomPolicy", for: try registries.makeEnv("Walk-v0"))
        #expect(policy is RandomPolicy)
    }
}
