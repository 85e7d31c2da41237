import MazeCore

extension Registries {
    /// MazeCore's built-in wrappers and policies plus everything MazeEnvs provides.
    public static var withMazeEnvs: Registries {
        var registries = Registries.builtIn
        registries.registerMazeEnvs()
        return registries
    }

    /// Adds MazeEnvs' environments and policies so that configuration can name them.
    ///
    /// Environments: the classic-control tasks under their Gymnasium ids (`CartPole-v1`, …; parameters
    /// `seed` and `max_episode_steps`, which defaults to Gymnasium's and is applied with a
    /// ``TimeLimitWrapper`` as `gymnasium.make` does), and the cutting problem as `cutting_2d`,
    /// `cutting_2d_struct` and `cutting_2d_struct_masked` (parameters `max_pieces_in_inventory`, `raw_piece_size`,
    /// `static_demand` as in the tutorial's env configs). Wrappers: `CartPoleNoVelocityWrapper`. Policies: `cartpole_heuristic` and
    /// `cutting_2d_greedy` (for masked random actions use MazeCore's `random_policy` with `action_masks`).
    public mutating func registerMazeEnvs() {
        registerClassicControl(CartPole.self)
        registerClassicControl(Acrobot.self)
        registerClassicControl(Pendulum.self)
        registerClassicControl(MountainCar.self)
        registerClassicControl(MountainCarContinuous.self)

        let cutting = Cutting2DCoreEnv.Configuration.keys
        envs.register(
            "cutting_2d", aliases: ["tutorial_maze_env.part03_maze_env.env.maze_env.maze_env_factory"], keys: cutting
        ) {
            try MazeEnv.cutting2D(try Cutting2DCoreEnv.Configuration(arguments: $0))
        }
        envs.register(
            "cutting_2d_struct", aliases: ["tutorial_maze_env.part06_struct_env.env.struct_env.struct_env_factory"],
            keys: cutting
        ) {
            try StructuredCutting2DEnv(
                try MazeEnv.cutting2D(try Cutting2DCoreEnv.Configuration(arguments: $0)), masked: false)
        }
        envs.register(
            "cutting_2d_struct_masked",
            aliases: ["tutorial_maze_env.part06_struct_env.env.struct_env_masked.struct_env_factory"], keys: cutting
        ) {
            try StructuredCutting2DEnv(
                try MazeEnv.cutting2D(try Cutting2DCoreEnv.Configuration(arguments: $0)), masked: true)
        }

        wrappers.register("CartPoleNoVelocityWrapper", keys: []) { env, _, _ in try CartPoleNoVelocityWrapper(env) }

        policies.register("cartpole_heuristic", keys: []) { _, _ in CartPoleHeuristicPolicy() }
        policies.register("cutting_2d_greedy", keys: []) { _, _ in Cutting2DGreedyPolicy() }
    }

    private mutating func registerClassicControl<Dynamics: ClassicControlDynamics>(_: Dynamics.Type) {
        envs.register(Dynamics.gymID, keys: ["seed", "max_episode_steps"]) { arguments in
            try TimeLimitWrapper(
                try ClassicControlEnv<Dynamics>(seed: UInt64(try arguments.optionalInt("seed", in: 0...Int.max) ?? 0)),
                maxEpisodeSteps: try arguments.optionalInt("max_episode_steps") ?? Dynamics.maxEpisodeSteps)
        }
    }
}

extension Cutting2DCoreEnv.Configuration {
    /// The parameter keys of the cutting envs' config.
    static let keys: Set<String> = ["max_pieces_in_inventory", "raw_piece_size", "static_demand", "reward_aggregator"]

    /// Reads the tutorial's env config: `max_pieces_in_inventory`, `raw_piece_size: [x, y]` and
    /// `static_demand` as one piece `[x, y]` or a list of pieces `[[x, y], …]`, and optionally
    /// `reward_aggregator` (see ``Cutting2DRewardAggregator``).

    public init(arguments: ConfigSection) throws {
        let maxPieces = try arguments.int("max_pieces_in_inventory")
        let raw = try Self.piece(try arguments.section("raw_piece_size"))
        let demand = try arguments.section("static_demand")
        let entries = try demand.elements()
        let pieces: [Cutting2DPiece]
        if entries.allSatisfy({ if case .int = $0.node { true } else { false } }) {
            pieces = [try Self.piece(demand)]
        } else {
            pieces = try entries.map(Self.piece)
        }
        let aggregator = try arguments.nonNull("reward_aggregator").map(Cutting2DRewardAggregator.init(arguments:))
        try self.init(
            maxPiecesInInventory: maxPieces, rawPieceSize: raw, staticDemand: pieces, rewardAggregator: aggregator)
    }

    /// A piece written as `[x, y]`.
    private static func piece(_ section: ConfigSection) throws -> Cutting2DPiece {
        let sides = try section.ints()
        guard sides.count == 2 else { throw section.invalid("must be a pair of integers [x, y], got \(sides)") }
        return Cutting2DPiece(sides[0], sides[1])
    }
}
