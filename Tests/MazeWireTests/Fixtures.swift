import MazeWire

/// Deterministic pseudo-random numbers (SplitMix64) so that fuzz runs are reproducible from their seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Small, fully populated messages shared by the tests.
enum Fixtures {
    /// A batch of T steps over B envs with a 3-float observation, an `i8` discrete action, a `u1` image-like
    /// observation, logits and two finished episodes.
    static func trajectoryBatch(steps: Int = 3, envs: Int = 2, withLogits: Bool = true) throws -> TrajectoryBatch {
        let cells = steps * envs
        return try TrajectoryBatch(
            experimentID: "cartpole-impala",
            actorID: "host-a/actor-7",
            policyVersion: 42,
            steps: steps,
            envs: envs,
            observations: [
                "observation": try WireTensor(
                    shape: [steps + 1, envs, 3], values: (0..<(cells + envs) * 3).map { Float($0) * 0.5 }),
                "pixels": try WireTensor(
                    shape: [steps + 1, envs, 2, 2], values: (0..<(cells + envs) * 4).map { UInt8($0 % 256) }),
            ],
            actions: ["action": try WireTensor(shape: [steps, envs], values: (0..<cells).map { Int64($0 % 2) })],
            rewards: try WireTensor(shape: [steps, envs], values: (0..<cells).map { _ in Float(1) }),
            terminated: try WireTensor(shape: [steps, envs], bools: (0..<cells).map { $0 == cells - 1 }),
            truncated: try WireTensor(shape: [steps, envs], bools: (0..<cells).map { $0 == 0 }),
            behaviourLogProbs: try WireTensor(shape: [steps, envs], values: (0..<cells).map { -Float($0) / 10 }),
            behaviourLogits: withLogits
                ? ["action": try WireTensor(shape: [steps, envs, 2], values: (0..<cells * 2).map { Float($0) - 3 })]
                : nil,
            episodes: [
                EpisodeSummary(episodeReturn: 21.5, length: 22, kpis: ["pole_angle": -0.125, "steps_balanced": 22]),
                EpisodeSummary(episodeReturn: -3, length: 4),
            ]
        )
    }

    /// An update with weights of every numeric dtype and normalization statistics.
    static func policyUpdate(stop: Bool = false) throws -> PolicyUpdate {
        PolicyUpdate(
            experimentID: "cartpole-impala",
            version: 1 << 40,
            weights: [
                "policy.dense.weight": try WireTensor(shape: [2, 3], values: [Float](repeating: 0.25, count: 6)),
                "policy.dense.bias": try WireTensor(shape: [3], values: [Float(-1), 0, 1]),
                "counts.i4": try WireTensor(shape: [2], values: [Int32.min, Int32.max]),
            ],
            stop: stop,
            auxiliary: [
                "obs_mean": try WireTensor(shape: [3], values: [Float(0.1), 0.2, 0.3]),
                "obs_count": try WireTensor(shape: [], values: [Int64(1_000_000)]),
            ]
        )
    }

    /// The bytes of `message` encoded.
    static func bytes(of message: WireMessage) throws -> [UInt8] {
        try message.encode().withUnsafeBytes { [UInt8]($0) }
    }

    static func decode(_ bytes: [UInt8], limits: DecodeLimits = .standard) throws(WireError) -> WireMessage {
        // Array.withUnsafeBytes only rethrows untyped errors, so carry the typed one out in a Result.
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(WireError) in try WireMessage.decode(buffer, limits: limits) }
        }.get()
    }
}
