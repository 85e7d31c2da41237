import ArgumentParser
import Foundation
import MazeBaselines
import MazeCore
import MazeEnvs

/// `maze bench envs`: CartPole-v1 steps per second for the bare Swift env, the same physics in C
/// (the baseline), and a 16-env vector env behind TimeLimit + LogStats + ObservationNormalization,
/// each per core and all driven by the same balancing heuristic with auto-reset.
struct EnvsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "envs",
        abstract: "CartPole steps/s: bare Swift env and a wrapped 16-env vector env against the C baseline."
    )

    @OptionGroup var options: BenchOptions

    /// Steps per timed unit of the single-env loops (small enough for short `--seconds`).
    private static let chunk = 20_000
    /// Vector-env steps per timed unit (each advances all 16 envs).
    private static let vectorChunk = 1_000
    private static let vectorSize = 16

    func run() throws {
        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let unwrapped = try SequentialVectorEnv(
            envs: try (0..<Self.vectorSize).map { try ClassicControlEnv<CartPole>(seed: UInt64($0)) })
        let sequential = try SequentialVectorEnv(envs: try Self.wrappedEnvs())
        let parallel = try ThreadedVectorEnv(envs: try Self.wrappedEnvs(), threads: threads)
        try unwrapped.reset(seed: 1)
        try sequential.reset(seed: 1)
        try parallel.reset(seed: 1)

        // The loops take turns within each repetition, so that load from other processes on a
        // shared machine affects the baseline and the measured loops alike.
        var baseline: [Double] = []
        var bare: [Double] = []
        var plain: [Double] = []
        var vector: [Double] = []
        var threaded: [Double] = []
        for repetition in 0..<options.repeats {
            baseline.append(cBaselineRate(seed: UInt64(repetition + 1)))
            bare.append(try bareSwiftRate(seed: UInt64(repetition + 1)))
            plain.append(try vectorRate(unwrapped))
            vector.append(try vectorRate(sequential))
            threaded.append(try vectorRate(parallel) / Double(threads))
        }

        var report = BenchmarkReport(title: "envs")
        let c = median(baseline)
        report.add("c_steps_per_s", c, unit: "steps/s", label: "C CartPole (baseline)")
        report.add("swift_steps_per_s", median(bare), unit: "steps/s", label: "Swift CartPole, bare env")
        report.addRatio("swift_over_c", median(bare), over: c, label: "bare Swift / C", target: 0.8)
        // Not a target: shows how much of the wrapped figure the wrappers themselves cost.
        report.add(
            "unwrapped_vector16_steps_per_s", median(plain), unit: "steps/s", label: "16-env vector env, no wrappers")
        report.add("vector16_steps_per_s", median(vector), unit: "steps/s", label: "16-env vector env, 1 thread")
        report.addRatio("vector16_over_c", median(vector), over: c, label: "vector env per core / C", target: 0.25)
        // The threaded env steps on one thread whenever that measured faster; say which way it went.
        let mode = parallel.lastStepWasParallel ? "stepping in parallel" : "stepping sequentially"
        report.add(
            "threaded_vector16_steps_per_s_per_core", median(threaded), unit: "steps/s",
            label: "16-env vector env, \(threads) threads (\(mode)), per core")
        report.addRatio(
            "threaded_vector16_over_c", median(threaded), over: c, label: "threaded vector env per core / C",
            target: 0.25)
        print(report.render(json: options.json))
    }

    /// One timed run of the C loop (it times itself, without a Swift call per step), about `seconds` long.
    private func cBaselineRate(seed: UInt64) -> Double {
        var checksum = 0.0
        let probe = maze_cartpole_run(Int64(Self.chunk), seed, &checksum)
        let steps = Int64(max(Double(Self.chunk), probe * options.seconds))
        return maze_cartpole_run(steps, seed, &checksum)
    }

    /// The Swift twin of the C loop: the physics value, the heuristic on the float32 observation,
    /// reset on termination or after 500 steps.
    private func bareSwiftRate(seed: UInt64) throws -> Double {
        let observation = UnsafeMutableBufferPointer<Float>.allocate(capacity: CartPole.observationCount)
        defer { observation.deallocate() }
        var random = MazeRandom(seed: seed)
        var pole = CartPole.randomStart(using: &random)
        pole.writeObservation(into: observation)
        var episodeSteps = 0
        var checksum = 0.0
        let rate = try medianRate(seconds: options.seconds, repeats: 1) {
            for _ in 0..<Self.chunk {
                let action = CartPoleHeuristicPolicy.action(
                    x: observation[0], xDot: observation[1], theta: observation[2], thetaDot: observation[3])
                let terminated = try pole.step(action).terminated
                pole.writeObservation(into: observation)
                checksum +=
                    Double(observation[0]) + Double(observation[1]) + Double(observation[2]) + Double(observation[3])
                episodeSteps += 1
                if terminated || episodeSteps >= CartPole.maxEpisodeSteps {
                    pole = CartPole.randomStart(using: &random)
                    pole.writeObservation(into: observation)
                    episodeSteps = 0
                }
            }
            return Self.chunk
        }
        try Self.requireFinite(checksum)
        return rate
    }

    /// CartPole-v1 as configuration builds it, wrapped TimeLimit → LogStats → ObservationNormalization
    /// (innermost first), with normalization statistics estimated from 1000 random steps.
    private static func wrappedEnvs() throws -> [any StructuredEnv] {
        try (0..<vectorSize).map { index in
            let timeLimited = try TimeLimitWrapper(
                try ClassicControlEnv<CartPole>(seed: UInt64(index)), maxEpisodeSteps: CartPole.maxEpisodeSteps)
            let normalized = ObservationNormalizationWrapper(LogStatsWrapper(timeLimited))
            try normalized.estimateStatistics(samples: 1_000, seed: UInt64(index))
            return normalized
        }
    }

    /// Env steps per second of `vector` (already reset), actions from the heuristic rule applied to
    /// each observation row.
    private func vectorRate<Vector: VectorEnv>(_ vector: Vector) throws -> Double {
        let width = vector.observationSpace.flatCount
        var checksum = 0.0
        let rate = try medianRate(seconds: options.seconds, repeats: 1) {
            for _ in 0..<Self.vectorChunk {
                let observations = vector.observations
                vector.actions.withUnsafeMutableBufferPointer { actions in
                    for env in 0..<vector.count {
                        let row = env * width
                        actions[env] = Float(
                            CartPoleHeuristicPolicy.action(
                                x: observations[row], xDot: observations[row + 1], theta: observations[row + 2],
                                thetaDot: observations[row + 3]))
                    }
                }
                try vector.step()
                checksum += Double(vector.rewards[0])
            }
            return Self.vectorChunk * vector.count
        }
        try Self.requireFinite(checksum)
        return rate
    }

    /// A non-finite checksum would mean the env produced garbage; it also keeps the loops observable.
    private static func requireFinite(_ checksum: Double) throws {
        guard checksum.isFinite else { throw ValidationError("the benchmark loop produced a non-finite checksum") }
    }
}
