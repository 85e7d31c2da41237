import CBLAS
import MazeTensor

/// The convolution and LSTM part of `maze bench tensor`: MazeTensor's `conv2d` and `LSTM` layer forward
/// and forward+backward, each as a ratio of `cblas_sgemm` running the same products (same shapes, same
/// FLOPs) on preallocated buffers, so the ratio is the share of time spent on useful arithmetic rather
/// than on im2col, gate arithmetic, bookkeeping and allocation.
///
/// Workloads: a 3×3 convolution (padding 1) of 16 → 32 channels on 10×10 maps (MinAtar's screen size),
/// and a one-layer LSTM of 64 units over 8 steps of 32 features.
struct PerceptionKernelBench {
    let seconds: Double
    let repeats: Int

    private static let (channels, outputs, side, kernel) = (16, 32, 10, 3)
    private static let (steps, features, hidden) = (8, 32, 64)

    func measure(batch: Int, into report: inout BenchmarkReport) throws {
        var generator = SeededGenerator(seed: 7)
        func random(_ shape: [Int]) throws -> Tensor {
            try Tensor(
                shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &generator) }
            )
        }

        // Convolution: the FLOPs of one gemm [B·H·W, C·k²] × [C·k², O] forward; dW and d(patches) backward (the
        // image is a parameter in the training case, so that the kernel computes the patch gradient it is credited).
        let convolution = try Conv2d(
            name: "conv", inputs: Self.channels, outputs: Self.outputs, kernel: Self.kernel, padding: 1)
        var convolutionParameters = ParameterStore()
        try convolution.initialize(&convolutionParameters, with: .orthogonal(gain: 1), using: &generator)
        let image = try random([batch, Self.channels, Self.side, Self.side])
        let rows = batch * Self.side * Self.side
        let depth = Self.channels * Self.kernel * Self.kernel
        let convolutionProducts = [Product(m: rows, k: depth, n: Self.outputs, transposeB: true)]
        let convolutionBackward = [
            Product(m: Self.outputs, k: rows, n: depth, transposeA: true), Product(m: rows, k: Self.outputs, n: depth),
        ]
        try compare(
            "conv", label: "conv2d 16→32 3×3 on 10×10", batch: batch, forwardProducts: convolutionProducts,
            backwardProducts: convolutionBackward, into: &report
        ) { tape, training in
            try convolution(
                training ? tape.parameter(image) : tape.constant(image),
                training ? tape.bind(convolutionParameters) : tape.bindConstants(convolutionParameters))
        }

        // LSTM: the input projection of all steps as one gemm, then one [B, H] × [H, 4H] gemm per step;
        // backward: weight and input gradients of each (the sequence is a parameter in the training case, as
        // it is when an embedding feeds the LSTM, so that the layer computes the input gradient it is credited).
        let lstm = try LSTM(name: "lstm", inputSize: Self.features, hiddenSize: Self.hidden)
        var lstmParameters = ParameterStore()
        try lstm.initialize(&lstmParameters, using: &generator)
        let sequence = try random([batch, Self.steps, Self.features])
        let gates = 4 * Self.hidden
        let projection = Product(m: batch * Self.steps, k: Self.features, n: gates, transposeB: true)
        let recurrence = [Product](
            repeating: Product(m: batch, k: Self.hidden, n: gates, transposeB: true), count: Self.steps)
        let lstmBackward =
            [
                Product(m: gates, k: batch * Self.steps, n: Self.features, transposeA: true),
                Product(m: batch * Self.steps, k: gates, n: Self.features),
            ] + [Product](repeating: Product(m: gates, k: batch, n: Self.hidden, transposeA: true), count: Self.steps)
            + [Product](repeating: Product(m: batch, k: gates, n: Self.hidden), count: Self.steps)
        try compare(
            "lstm", label: "LSTM 32→64, 8 steps", batch: batch, forwardProducts: [projection] + recurrence,
            backwardProducts: lstmBackward,
            into: &report
        ) { tape, training in
            try lstm(
                training ? tape.parameter(sequence) : tape.constant(sequence),
                training ? tape.bind(lstmParameters) : tape.bindConstants(lstmParameters)
            ).outputs
        }
    }

    /// Reports the layer's forward (no gradient recorded: parameters as constants) and forward+backward
    /// GFLOP/s over those of `cblas_sgemm` on the same products. `layer` records the layer on the tape,
    /// with trainable parameters when its second argument is true.
    private func compare(
        _ key: String, label: String, batch: Int, forwardProducts: [Product], backwardProducts: [Product],
        into report: inout BenchmarkReport,
        _ layer: (_ tape: Tape, _ training: Bool) throws -> Variable
    ) throws {
        let forwardFlops = forwardProducts.reduce(0) { $0 + $1.flops }
        let trainingFlops = forwardFlops + backwardProducts.reduce(0) { $0 + $1.flops }
        let forwardBuffers = forwardProducts.map(GemmBuffers.init)
        let backwardBuffers = backwardProducts.map(GemmBuffers.init)
        let gemmForward =
            medianRate(seconds: seconds, repeats: repeats) {
                for buffers in forwardBuffers { buffers.run() }
                return forwardFlops
            } / 1e9
        let gemmTraining =
            medianRate(seconds: seconds, repeats: repeats) {
                for buffers in forwardBuffers + backwardBuffers { buffers.run() }
                return trainingFlops
            } / 1e9
        let tape = Tape()
        let forward =
            try medianRate(seconds: seconds, repeats: repeats) {
                tape.reset()
                // Parameters as constants: nothing is recorded for backward, as on the actors' path.
                _ = try layer(tape, false)
                return forwardFlops
            } / 1e9
        let training =
            try medianRate(seconds: seconds, repeats: repeats) {
                tape.reset()
                let output = try layer(tape, true)
                try tape.backward(from: output.sum())
                return trainingFlops
            } / 1e9
        report.add(
            "sgemm_\(key)_b\(batch)_forward_gflops", gemmForward, unit: "GFLOP/s",
            label: "sgemm, \(label) forward products, batch \(batch)")
        report.add(
            "sgemm_\(key)_b\(batch)_train_gflops", gemmTraining, unit: "GFLOP/s",
            label: "sgemm, \(label) fwd+bwd products, batch \(batch)")
        report.addRatio(
            "\(key)_b\(batch)_forward", forward, over: gemmForward,
            label: "\(label) forward GFLOP/s ÷ sgemm, batch \(batch)", target: batch == 256 ? 0.5 : nil)
        report.addRatio(
            "\(key)_b\(batch)_train", training, over: gemmTraining,
            label: "\(label) fwd+bwd GFLOP/s ÷ sgemm, batch \(batch)", target: batch == 256 ? 0.5 : nil)
    }
}

/// One `cblas_sgemm` call's dimensions and operand layouts (`op(a)` is `m×k`, `op(b)` is `k×n`).
struct Product {
    let m: Int, k: Int, n: Int
    var transposeA = false, transposeB = false

    var flops: Int { 2 * m * n * k }
}

/// Preallocated operands for one product.
private final class GemmBuffers {
    let product: Product
    private let a: [Float], b: [Float]
    private var c: [Float]

    init(_ product: Product) {
        self.product = product
        a = [Float](repeating: 0.5, count: product.m * product.k)
        b = [Float](repeating: 0.25, count: product.k * product.n)
        c = [Float](repeating: 0, count: product.m * product.n)
    }

    func run() {
        let p = product
        c.withUnsafeMutableBufferPointer { output in
            cblas_sgemm(
                CblasRowMajor, p.transposeA ? CblasTrans : CblasNoTrans, p.transposeB ? CblasTrans : CblasNoTrans,
                Int32(p.m), Int32(p.n), Int32(p.k), 1, a, Int32(p.transposeA ? p.m : p.k), b,
                Int32(p.transposeB ? p.k : p.n),
                0, output.baseAddress, Int32(p.n))
        }
    }
}
