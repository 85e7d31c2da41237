import ArgumentParser
import CBLAS
import MazeTensor

/// `maze bench tensor`: raw `cblas_sgemm` throughput on the shapes of a policy network, next to the same
/// network's forward, forward+backward and Adam training-step throughput through MazeTensor; then the same
/// comparison for a convolution and an LSTM (`PerceptionKernelBench`).
///
/// The networks are 4→w→w→2 tanh MLPs of a CartPole policy: 64 wide (rl-zoo) and 256 wide (Maze's defaults).
/// Achieved GFLOP/s count only the matrix products (what BLAS would do alone), so the ratio to the sgemm figure is
/// the share of time the library spends on useful arithmetic rather than on bias, activation, the optimizer,
/// bookkeeping and allocation.
struct TensorBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tensor",
        abstract: "sgemm GFLOP/s versus MLP, convolution and LSTM forward, forward+backward and training steps."
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Batch sizes to measure (comma-separated).")
    var batches: String = "64,1024,8192"

    @Option(help: "Batch sizes for the convolution and LSTM measurements (comma-separated; none when empty).")
    var perceptionBatches: String = "256"

    @Option(help: "OpenBLAS threads for both the sgemm baseline and the MLP (1 keeps a shared machine steady).")
    var blasThreads: Int = 1

    @Option(help: "Hidden widths w of the MLPs 4→w→w→2 (comma-separated): Maze's defaults are 256 wide.")
    var widths: String = "64,256"

    /// The parsed `--widths`; entries that are not integers become 0, which `validate` rejects.
    private var hiddenWidths: [Int] {
        widths.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) ?? 0 }
    }

    /// The parsed `--batches`; entries that are not integers become 0, which `validate` rejects.
    private var batchSizes: [Int] {
        batches.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) ?? 0 }
    }

    /// The parsed `--perception-batches`.
    private var perceptionBatchSizes: [Int] {
        perceptionBatches.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) ?? 0 }
    }

    func validate() throws {
        guard !batchSizes.isEmpty, batchSizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--batches needs positive integers.")
        }
        guard perceptionBatchSizes.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--perception-batches needs positive integers.")
        }
        guard !hiddenWidths.isEmpty, hiddenWidths.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--widths needs positive integers.")
        }
        guard blasThreads > 0 else { throw ValidationError("--blas-threads must be positive.") }
    }

    func run() throws {
        openblas_set_num_threads(Int32(blasThreads))
        var report = BenchmarkReport(
            title: "tensor: MLPs 4→w→w→2 tanh (w = \(hiddenWidths.map(String.init).joined(separator: ", "))) "
                + "versus cblas_sgemm (\(blasThreads) BLAS thread(s))")
        for width in hiddenWidths {
            for batch in batchSizes { try measure(width: width, batch: batch, into: &report) }
        }
        let perception = PerceptionKernelBench(seconds: options.seconds, repeats: options.repeats)
        for batch in perceptionBatchSizes { try perception.measure(batch: batch, into: &report) }
        print(report.render(json: options.json))
    }

    /// sgemm on the products of the MLP 4→`width`→`width`→2 at `batch` rows, then the MLP's forward, its
    /// forward+backward, and a whole training step (forward, backward, gradients out of the tape, Adam in place),
    /// each as GFLOP/s of its products over sgemm's.
    private func measure(width: Int, batch: Int, into report: inout BenchmarkReport) throws {
        let sizes = [4, width, width, 2]
        let name = "w\(width)_b\(batch)"
        let mlp = try MLP(name: "policy", sizes: sizes, activation: .tanh)
        var generator = SeededGenerator(seed: 42)
        var parameters = ParameterStore()
        try mlp.initialize(
            &parameters, hidden: .orthogonal(gain: Float(2).squareRoot()), output: .orthogonal(gain: 0.01),
            using: &generator)
        let input = try Tensor(
            shape: [batch, sizes[0]],
            scalars: (0..<(batch * sizes[0])).map { _ in Float.random(in: -1...1, using: &generator) })

        for shape in zip(sizes, sizes.dropFirst()).map({ Product(m: batch, k: $0, n: $1, transposeB: true) }) {
            report.add(
                "sgemm_\(name)_\(shape.m)x\(shape.k)x\(shape.n)_gflops", measureGemm(shape), unit: "GFLOP/s",
                label: "sgemm \(shape.m)×\(shape.k)·\(shape.k)×\(shape.n)")
        }
        let replay = GemmReplay(sizes: sizes, batch: batch)
        let forwardGemm =
            medianRate(seconds: options.seconds, repeats: options.repeats) {
                replay.forward()
                return replay.forwardFlops
            } / 1e9
        let trainingGemm =
            medianRate(seconds: options.seconds, repeats: options.repeats) {
                replay.forward()
                replay.backward()
                return replay.trainingFlops
            } / 1e9
        report.add(
            "sgemm_\(name)_forward_gflops", forwardGemm, unit: "GFLOP/s", label: "sgemm forward shapes, \(name)")
        report.add(
            "sgemm_\(name)_train_gflops", trainingGemm, unit: "GFLOP/s", label: "sgemm fwd+bwd shapes, \(name)")

        let forwardRate = try medianRate(seconds: options.seconds, repeats: options.repeats) {
            _ = try mlp(input, parameters)
            return batch
        }
        let tape = Tape()
        let trainingRate = try medianRate(seconds: options.seconds, repeats: options.repeats) {
            tape.reset()
            let bound = tape.bind(parameters)
            let output = try mlp(tape.constant(input), bound)
            try tape.backward(from: output.squared().mean())
            _ = try bound.gradients()
            return batch
        }
        // The learner's step (GradientStep): gradients moved out, the tape reset, Adam in place, buffers pooled.
        var optimizer = Adam(learningRate: .constant(1e-4))
        let stepRate = try medianRate(seconds: options.seconds, repeats: options.repeats) {
            let bound = tape.bind(parameters)
            let output = try mlp(tape.constant(input), bound)
            try tape.backward(from: output.squared().mean())
            let gradients = try bound.takeGradients()
            tape.reset()
            try optimizer.update(&parameters, gradients: gradients)
            tape.recycle(gradients)
            return batch
        }
        // Adam alone on one set of gradients: its time next to that of the step's products.
        let bound = tape.bind(parameters)
        try tape.backward(from: try mlp(tape.constant(input), bound).squared().mean())
        let gradients = try bound.takeGradients()
        tape.reset()
        let adamRate = try medianRate(seconds: options.seconds, repeats: options.repeats) {
            try optimizer.update(&parameters, gradients: gradients)
            return 1
        }
        let (forwardFlops, trainingFlops) = (Double(replay.forwardFlops / batch), Double(replay.trainingFlops / batch))
        report.add(
            "mlp_\(name)_forward_samples_per_s", forwardRate, unit: "samples/s",
            label: "MLP forward (no tape), \(name)")
        report.add(
            "mlp_\(name)_train_samples_per_s", trainingRate, unit: "samples/s", label: "MLP forward+backward, \(name)")
        report.add(
            "mlp_\(name)_step_samples_per_s", stepRate, unit: "samples/s", label: "MLP Adam step, \(name)")
        report.addRatio(
            "mlp_\(name)_forward", forwardRate * forwardFlops / 1e9, over: forwardGemm,
            label: "forward GFLOP/s ÷ sgemm, \(name)")
        report.addRatio(
            "mlp_\(name)_train", trainingRate * trainingFlops / 1e9, over: trainingGemm,
            label: "fwd+bwd GFLOP/s ÷ sgemm, \(name)", target: batch == 8192 ? 0.5 : nil)
        report.addRatio(
            "mlp_\(name)_step", stepRate * trainingFlops / 1e9, over: trainingGemm,
            label: "Adam step GFLOP/s ÷ sgemm fwd+bwd, \(name)", target: width >= 256 ? 0.6 : nil)
        report.add(
            "adam_\(name)_update_us", 1e6 / adamRate, unit: "µs",
            label: "Adam update alone (\(parameters.scalarCount) parameters), \(name)")
        report.addRatio(
            "adam_\(name)_over_sgemm_train", 1 / adamRate, over: Double(replay.trainingFlops) / 1e9 / trainingGemm,
            label: "Adam update time ÷ sgemm fwd+bwd time, \(name)")
    }

    /// GFLOP/s of one product on its own preallocated operands.
    private func measureGemm(_ shape: Product) -> Double {
        let a = [Float](repeating: 0.5, count: shape.m * shape.k)
        let b = [Float](repeating: 0.25, count: shape.k * shape.n)
        var c = [Float](repeating: 0, count: shape.m * shape.n)
        let flops = 2 * shape.m * shape.n * shape.k
        return medianRate(seconds: options.seconds, repeats: options.repeats) {
            c.withUnsafeMutableBufferPointer { output in
                cblas_sgemm(
                    CblasRowMajor, shape.transposeA ? CblasTrans : CblasNoTrans,
                    shape.transposeB ? CblasTrans : CblasNoTrans,
                    Int32(shape.m), Int32(shape.n), Int32(shape.k), 1,
                    a, Int32(shape.transposeA ? shape.m : shape.k), b, Int32(shape.transposeB ? shape.k : shape.n),
                    0, output.baseAddress, Int32(shape.n))
            }
            return flops
        } / 1e9
    }
}

/// The matrix products of one MLP training step and nothing else, on buffers wired as the network's
/// data flow (each product reads what the previous one wrote), with MazeTensor's layouts: forward
/// `H·Wᵀ` per layer; backward `dZᵀ·H` per layer and `dZ·W` for every layer but the first.
final class GemmReplay {
    let sizes: [Int]
    let batch: Int
    /// activations[0] is the input; activations[i + 1] the output of layer i. Same for their gradients.
    /// Raw buffers, because each product reads one element of these lists while writing another.
    private let activations: [UnsafeMutableBufferPointer<Float>]
    private let activationGradients: [UnsafeMutableBufferPointer<Float>]
    private let weights: [UnsafeMutableBufferPointer<Float>]
    private let weightGradients: [UnsafeMutableBufferPointer<Float>]

    init(sizes: [Int], batch: Int) {
        self.sizes = sizes
        self.batch = batch
        func buffer(_ count: Int, _ value: Float) -> UnsafeMutableBufferPointer<Float> {
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            buffer.initialize(repeating: value)
            return buffer
        }
        activations = sizes.map { buffer(batch * $0, 0.01) }
        activationGradients = sizes.map { buffer(batch * $0, 0.01) }
        weights = zip(sizes, sizes.dropFirst()).map { buffer($0 * $1, 0.05) }
        weightGradients = zip(sizes, sizes.dropFirst()).map { buffer($0 * $1, 0) }
    }

    deinit {
        for buffer in activations + activationGradients + weights + weightGradients { buffer.deallocate() }
    }

    var forwardFlops: Int { Self.forwardFlops(sizes: sizes, batch: batch) }
    var trainingFlops: Int { Self.trainingFlops(sizes: sizes, batch: batch) }

    /// FLOPs of the forward products of an MLP with layer widths `sizes` on `batch` rows: 2·in·out per row and layer.
    static func forwardFlops(sizes: [Int], batch: Int) -> Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + 2 * batch * $1.0 * $1.1 }
    }

    /// FLOPs of forward and backward: the forward products, the weight gradients (as many), and the input
    /// gradients of every layer but the first.
    static func trainingFlops(sizes: [Int], batch: Int) -> Int {
        2 * forwardFlops(sizes: sizes, batch: batch) + forwardFlops(sizes: Array(sizes.dropFirst()), batch: batch)
    }

    func forward() {
        for layer in 0..<(sizes.count - 1) {
            let (inputs, outputs) = (Int32(sizes[layer]), Int32(sizes[layer + 1]))
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(batch), outputs, inputs, 1,
                activations[layer].baseAddress, inputs, weights[layer].baseAddress, inputs, 0,
                activations[layer + 1].baseAddress, outputs)
        }
    }

    func backward() {
        for layer in stride(from: sizes.count - 2, through: 0, by: -1) {
            let (inputs, outputs) = (Int32(sizes[layer]), Int32(sizes[layer + 1]))
            cblas_sgemm(
                CblasRowMajor, CblasTrans, CblasNoTrans, outputs, inputs, Int32(batch), 1,
                activationGradients[layer + 1].baseAddress, outputs, activations[layer].baseAddress, inputs, 0,
                weightGradients[layer].baseAddress, inputs)
            guard layer > 0 else { continue }
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(batch), inputs, outputs, 1,
                activationGradients[layer + 1].baseAddress, outputs, weights[layer].baseAddress, inputs, 0,
                activationGradients[layer].baseAddress, inputs)
        }
    }
}
