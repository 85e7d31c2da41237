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
    /// `static_demand` as in the tutorial's env configs). Policies: `cartpole_heuristic` and
    /// `cutting_2d_greedy` (for masked random actions use MazeCore's `random_policy` with `action_masks`).
    public mutating func registerMazeEnvs() {
        registerClassicControl(CartPole.self)
        registerClassicControl(Acrobot.self)
        registerClassicControl(Pendulum.self)
        registerClassicControl(MountainCar.self)
        registerClassicControl(MountainCarContinuous.self)

        envs.register("cutting_2d", aliases: ["tutorial_maze_env.part03_maze_env.env.maze_env.maze_env_factory"]) {
            try MazeEnv.cutting2D(try Cutting2DCoreEnv.Configuration(arguments: $0))
        }
        envs.register("cutting_2d_struct", aliases: ["tutorial_maze_env.part06_struct_env.env.struct_env.struct_env_factory"]) {
            try StructuredCutting2DEnv(try MazeEnv.cutting2D(try Cutting2DCoreEnv.Configuration(arguments: $0)), masked: false)
        }
        envs.register(
            "cutting_2d_struct_masked",
            aliases: ["tutorial_maze_env.part06_struct_env.env.struct_env_masked.struct_env_factory"]
        ) {
            try StructuredCutting2DEnv(try MazeEnv.cutting2D(try Cutting2DCoreEnv.Configuration(arguments: $0)), masked: true)
        }

        policies.register("cartpole_heuristic") { _, _ in CartPoleHeuristicPolicy() }
        policies.register("cutting_2d_greedy") { _, _ in Cutting2DGreedyPolicy() }
    }

    private mutating func registerClassicControl<Dynamics: ClassicControlDynamics>(_: Dynamics.Type) {
        envs.register(Dynamics.gymID) { arguments in
            try TimeLimitWrapper(
                try ClassicControlEnv<Dynamics>(seed: UInt64(try arguments.int("seed") ?? 0)),
                maxEpisodeSteps: try arguments.int("max_episode_steps") ?? Dynamics.maxEpisodeSteps)
        }
    }
}

extension Cutting2DCoreEnv.Configuration {
    /// Reads the tutorial's env config: `max_pieces_in_inventory`, `raw_piece_size: [x, y]` and
    /// `static_demand` as one piece `[x, y]` or a list of pieces `[[x, y], …]`, and optionally
    /// `reward_aggregator` (see ``Cutting2DRewardAggregator``).
    public init(arguments: ComponentArguments) throws(MazeError) {
        let maxPieces = try arguments.required("max_pieces_in_inventory", arguments.int)
        let raw = try Self.piece(try arguments.required("raw_piece_size", arguments.list), key: "raw_piece_size")
        let demand = try arguments.required("static_demand", arguments.list)
        let pieces: [Cutting2DPiece]
        if demand.allSatisfy({ $0.intValue != nil }) {
            pieces = [try Self.piece(demand, key: "static_demand")]
        } else {
            pieces = try demand.map { value throws(MazeError) in
                guard case .list(let pair) = value else {
                    throw .invalidConfiguration("static_demand entries must be [x, y] pairs, got \(value)")
                }
                return try Self.piece(pair, key: "static_demand")
            }
        }
        let aggregator = try arguments.map("reward_aggregator").map { map throws(MazeError) in
            try Cutting2DRewardAggregator(arguments: map)
        }
        try self.init(maxPiecesInInventory: maxPieces, rawPieceSize: raw, staticDemand: pieces, rewardAggregator: aggregator)
    }

    private static func piece(_ values: [ConfigValue], key: String) throws(MazeError) -> Cutting2DPiece {
        guard values.count == 2, let x = values[0].intValue, let y = values[1].intValue else {
            throw .invalidConfiguration("\(key) must be a pair of integers [x, y], got \(values)")
        }
        return Cutting2DPiece(x, y)
    }
}
