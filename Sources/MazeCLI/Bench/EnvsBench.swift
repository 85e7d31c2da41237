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
        var report = BenchmarkReport(title: "envs")
        let baseline = cBaselineRate()
        report.add("c_steps_per_s", baseline, unit: "steps/s", label: "C CartPole (baseline)")

        let bare = try bareSwiftRate()
        report.add("swift_steps_per_s", bare, unit: "steps/s", label: "Swift CartPole, bare env")
        report.addRatio("swift_over_c", bare, over: baseline, label: "bare Swift / C", target: 0.8)

        let vector = try vectorRate(try SequentialVectorEnv(envs: try Self.wrappedEnvs()))
        report.add("vector16_steps_per_s", vector, unit: "steps/s", label: "16-env vector env, 1 thread")
        report.addRatio("vector16_over_c", vector, over: baseline, label: "vector env per core / C", target: 0.25)

        let threads = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let threaded = try vectorRate(try ThreadedVectorEnv(envs: try Self.wrappedEnvs(), threads: threads))
        report.add(
            "threaded_vector16_steps_per_s_per_core", threaded / Double(threads), unit: "steps/s",
            label: "16-env vector env, \(threads) threads, per core")
        report.addRatio(
            "threaded_vector16_over_c", threaded / Double(threads), over: baseline,
            label: "threaded vector env per core / C", target: 0.25)
        print(report.render(json: options.json))
    }

    /// The C loop times itself (no Swift call per step); like ``medianRate`` it runs about `seconds`
    /// per repetition and reports the median.
    private func cBaselineRate() -> Double {
        var checksum = 0.0
        let probe = maze_cartpole_run(Int64(Self.chunk), 1, &checksum)
        let steps = Int64(max(Double(Self.chunk), probe * options.seconds))
        var rates = (0..<options.repeats).map { repetition in
            maze_cartpole_run(steps, UInt64(repetition + 1), &checksum)
        }
        rates.sort()
        return rates[rates.count / 2]
    }

    /// The Swift twin of the C loop: the physics value, the heuristic on the float32 observation,
    /// reset on termination or after 500 steps.
    private func bareSwiftRate() throws -> Double {
        let observation = UnsafeMutableBufferPointer<Float>.allocate(capacity: CartPole.observationCount)
        defer { observation.deallocate() }
        var random = MazeRandom(seed: 1)
        var pole = CartPole.randomStart(using: &random)
        pole.writeObservation(into: observation)
        var episodeSteps = 0
        var checksum = 0.0
        let rate = try medianRate(seconds: options.seconds, repeats: options.repeats) {
            for _ in 0..<Self.chunk {
                let action = CartPoleHeuristicPolicy.action(
                    x: observation[0], xDot: observation[1], theta: observation[2], thetaDot: observation[3])
                let terminated = try pole.step(action).terminated
                pole.writeObservation(into: observation)
                checksum += Double(observation[0]) + Double(observation[1]) + Double(observation[2]) + Double(observation[3])
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

    /// Env steps per second of `vector`, actions from the heuristic rule applied to each observation row.
    private func vectorRate<Vector: VectorEnv>(_ vector: Vector) throws -> Double {
        try vector.reset(seed: 1)
        let width = vector.observationSpace.flatCount
        var checksum = 0.0
        let rate = try medianRate(seconds: options.seconds, repeats: options.repeats) {
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
