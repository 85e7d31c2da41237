import ArgumentParser
import CAllocationCounter
import Foundation
import MazeCore
import MazeDistributed
import MazePerception
import MazeService
import MazeTensor
import MazeTrain
import MazeWire

/// `maze bench hotpaths`: the learner's and an actor's steady state in one process, on real batches of CartPole-v1.
///
/// - Learner (IMPALA and PPO, 256×256 policy and critic, 4 batches of 32 steps per update): per update, the CPU time
///   of decoding its frames (as the receive stage does, by one `WireDecoder` into the batches the previous update
///   handed back, and afresh) and of assembling the rollout, next to the update itself (`ActorCriticLearner.update`,
///   which assembles too), and their share of the learner thread; heap allocations per update of each part.
/// - Actor (64×64, the workers' model): env steps per CPU second of `collect` next to the policy's forward pass alone
///   at the same batch (the tensor path) and to its allocation-free decisions (`BatchedPolicyActing`: forward pass
///   and draws), and heap allocations per rollout and per env step.
///
/// Allocations are every `malloc`/`calloc`/`realloc`/`posix_memalign`/`aligned_alloc` of the process
/// (CAllocationCounter, glibc only), counted after warm-up updates, so they are what a steady state allocates.
struct HotPathBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hotpaths",
        abstract: "Learner decode/assembly share and allocations per update; actor steps per CPU-s and allocations."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Environments per actor batch (the actor's forward batch).")
    var envs = 16

    @Option(help: "Updates measured after the warm-up ones.")
    var updates = 10

    func validate() throws {
        guard envs > 0, updates > 0 else { throw ValidationError("--envs and --updates must be positive.") }
    }

    func run() throws {
        BLASThreads.applyProcessDefault()
        var report = BenchmarkReport(
            title: "hotpaths: learner and actor steady state, CartPole-v1"
                + (maze_allocations_counted() ? "" : " (allocations not counted: needs glibc)"))
        for ppo in [false, true] { try addLearnerFigures(ppo: ppo, to: &report) }
        try addActorFigures(to: &report)
        print(report.render(json: options.json))
    }

    /// Decoding, assembly and the update of one algorithm, medians over `updates` updates.
    private func addLearnerFigures(ppo: Bool, to report: inout BenchmarkReport) throws {
        let name = ppo ? "ppo" : "impala"
        let workload = try ClusterWorkload(envs: envs, hiddenUnits: [256, 256], ppo: ppo)
        var learner = try ActorCriticLearner(config: workload.config, configYAML: workload.yaml, outputDirectory: nil)
        let frames = try workload.batches(learner.batchesPerUpdate).map { batch in
            try WireMessage.trajectoryBatch(batch).encode().withUnsafeBytes { Array($0) }
        }
        func decodeFresh() throws -> [TrajectoryBatch] {
            try frames.map { frame in try Self.batch(of: frame.withUnsafeBytes { try WireMessage.decode($0) }) }
        }
        // Decoded as the receive stage does: by one decoder, into the batches the previous update is done with, and
        // handed out as the ingress does, in the array the previous update's batches came in.
        guard let decoder = WireDecoder() else { throw ValidationError("msgpack-c could not allocate its memory") }
        var (spares, handedOut): ([TrajectoryBatch], [TrajectoryBatch]) = ([], [])
        func decode() throws -> [TrajectoryBatch] {
            var batches: [TrajectoryBatch] = []
            swap(&batches, &handedOut)
            for frame in frames {
                var spare = spares.popLast()
                batches.append(try Self.batch(of: frame.withUnsafeBytes { try decoder.decode($0, reusing: &spare) }))
            }
            return batches
        }
        /// Hands `batches` back as the learner does, referred to by nothing else.
        func recycle(_ batches: inout [TrajectoryBatch]) {
            swap(&spares, &batches)
            swap(&handedOut, &batches)
        }
        for _ in 0..<3 {
            var batches = try decode()
            try learner.update(with: batches)
            recycle(&batches)
        }

        var (fresh, decoding, assembly, update) = (Sample(), Sample(), Sample(), Sample())
        // Assembled as the learner does: into the previous update's rollout.
        var rollout: RolloutBuffer? = try RolloutAssembly.buffer(from: spares)
        for _ in 0..<updates {
            _ = try fresh.measure { try decodeFresh() }
            var batches = try decoding.measure { try decode() }
            _ = try assembly.measure { try RolloutAssembly.assemble(batches, into: &rollout) }
            try update.measure { try learner.update(with: batches) }
            recycle(&batches)
        }
        let samples = frames.count * ClusterWorkload.rolloutSteps * envs
        let label = "\(ppo ? "PPO" : "IMPALA") learner, \(samples) samples per update"
        report.add(
            "\(name)_decode_us", decoding.medianMicroseconds, unit: "µs",
            label: "\(label): decode (into the last update's batches)")
        report.add(
            "\(name)_decode_fresh_us", fresh.medianMicroseconds, unit: "µs", label: "\(label): decode (fresh batches)")
        report.add("\(name)_assembly_us", assembly.medianMicroseconds, unit: "µs", label: "\(label): assembly")
        report.add(
            "\(name)_update_us", update.medianMicroseconds, unit: "µs", label: "\(label): update (with assembly)")
        report.addRatio(
            "\(name)_intake_share", decoding.medianMicroseconds + assembly.medianMicroseconds,
            over: decoding.medianMicroseconds + update.medianMicroseconds,
            label: "\(label): decode+assembly ÷ learner thread")
        for (part, sample) in [
            ("decode", decoding), ("decode_fresh", fresh), ("assembly", assembly), ("update", update),
        ] {
            report.add(
                "\(name)_\(part)_allocations", sample.medianAllocations, unit: "per update",
                label: "\(label): \(part) heap allocations")
            report.add(
                "\(name)_\(part)_allocated_kib", sample.medianKiB, unit: "KiB/update",
                label: "\(label): \(part) bytes allocated")
        }
    }

    /// The trajectory batch a frame decoded to.
    private static func batch(of message: WireMessage) throws -> TrajectoryBatch {
        guard case .trajectoryBatch(let batch) = message else {
            throw ValidationError("a trajectory batch frame did not decode as one")
        }
        return batch
    }

    /// One actor's `collect` against the policy's forward pass, per CPU second of this thread, and its allocations.
    private func addActorFigures(to report: inout BenchmarkReport) throws {
        let workload = try ClusterWorkload(envs: envs)
        var policy = try ActorCriticActingPolicy(config: workload.config, envCount: envs, seed: 1)
        try policy.apply(PolicyUpdate(experimentID: "bench", version: 0, weights: workload.learnerWeights()))
        let identity = RolloutIdentity(experimentID: "bench", actorID: "bench/actor", policyVersion: 0)
        _ = try policy.collect(identity)
        var collecting = Sample()
        for _ in 0..<updates { _ = try collecting.measure { try policy.collect(identity) } }

        let model = try workload.model()
        let network = try model.policy()
        let observations = try ClusterWorkload.randomRows(envs, width: network.observationWidth, seed: 3) {
            Float($0.nextUniform(-0.05, 0.05))
        }
        let (forward, acting) = try interleavedMedianRates(options: options, clock: .threadCPU) {
            _ = try network.network(observations, model.parameters)
            return envs
        } _: {
            _ = try policy.collect(identity)
            return workload.stepsPerBatch
        }
        let deciding = try batchedDecisionRate(network, model: model, observations: observations)
        let steps = Double(workload.stepsPerBatch)
        let label = "actor, \(envs) envs, 64×64"
        report.add("actor_env_steps_per_cpu_s", acting, unit: "steps/CPU-s", label: "\(label): collect")
        report.add(
            "actor_forward_samples_per_cpu_s", forward, unit: "samples/CPU-s",
            label: "\(label): forward only (tensor path)")
        report.addRatio("actor_over_forward", acting, over: forward, label: "\(label): collect ÷ forward", target: 0.5)
        report.add(
            "actor_decide_samples_per_cpu_s", deciding, unit: "samples/CPU-s",
            label: "\(label): forward and sampling only (BatchedPolicyActing)")
        report.addRatio("actor_over_decide", acting, over: deciding, label: "\(label): collect ÷ decide")
        report.add(
            "actor_allocations_per_rollout", collecting.medianAllocations, unit: "per rollout",
            label: "\(label): heap allocations per rollout of \(workload.stepsPerBatch) env steps")
        report.add(
            "actor_allocations_per_env_step", collecting.medianAllocations / steps, unit: "per step",
            label: "\(label): heap allocations per env step (the rollout's, spread)")
        report.add(
            "actor_allocated_bytes_per_env_step", collecting.medianKiB * 1024 / steps, unit: "B/step",
            label: "\(label): bytes allocated per env step (the rollout's, spread)")
    }

    /// Decisions per CPU second of this thread of the policy's allocation-free acting path on `observations`:
    /// the forward pass and the categorical draws an actor makes every step, without env or rollout.
    private func batchedDecisionRate(_ network: PolicyNetwork, model: ActorCriticModel, observations: Tensor) throws
        -> Double
    {
        let rows = observations.shape[0]
        guard let acting = BatchedPolicyActing(policy: network, rows: rows) else {
            throw ValidationError("the bench's policy is not one BatchedPolicyActing covers")
        }
        var random = MazeRandom(seed: 2)
        var actions = [Float](repeating: 0, count: rows * network.actionWidth)
        var logProbs = [Float](repeating: 0, count: rows)
        var logits = [Float](repeating: 0, count: rows * network.logitsWidth)
        return try observations.withUnsafeScalars { observations in
            try actions.withUnsafeMutableBufferPointer { actions in
                try logProbs.withUnsafeMutableBufferPointer { logProbs in
                    try logits.withUnsafeMutableBufferPointer { logits in
                        try medianRate(seconds: options.seconds, repeats: options.repeats, clock: .threadCPU) {
                            try acting.decide(
                                observations: observations, parameters: model.parameters, deterministic: false,
                                random: &random, actions: actions, logProbs: logProbs, logits: logits)
                            return rows
                        }
                    }
                }
            }
        }
    }

    /// Thread CPU time and allocations of repeated runs of one piece of work.
    private struct Sample {
        private var seconds: [Double] = []
        private var allocations: [Double] = []
        private var bytes: [Double] = []

        mutating func measure<T>(_ work: () throws -> T) rethrows -> T {
            let (start, before) = (BenchClock.threadCPU.seconds, maze_allocations())
            let result = try work()
            let after = maze_allocations()
            seconds.append(BenchClock.threadCPU.seconds - start)
            allocations.append(Double(after.calls &- before.calls))
            bytes.append(Double(after.bytes &- before.bytes))
            return result
        }

        var medianMicroseconds: Double { median(seconds) * 1e6 }
        var medianAllocations: Double { median(allocations) }
        var medianKiB: Double { median(bytes) / 1024 }
    }
}
