import Foundation
import MazeWire

/// Adds msgpack encode and decode throughput of a ~1 MiB `TrajectoryBatch` to `report`, each next to `memcpy`
/// of the same number of bytes measured in the same run.
///
/// Decoding copies every tensor body out of the frame once, so `memcpy` of the frame is its natural ceiling;
/// the project aims for decoding at half that speed or better. Throughput is frame bytes per second (1 MB = 10⁶ B).
func addCodecFigures(to report: inout BenchmarkReport, options: BenchOptions) throws {
    let message = WireMessage.trajectoryBatch(try CodecBenchmarkBatch.make())
    let frame = try message.encode()
    let decoded = try frame.withUnsafeBytes { bytes throws(WireError) in try WireMessage.decode(bytes) }
    guard decoded == message else { throw WireError.malformed("the benchmark batch did not survive a round trip") }
    report.add("codec_frame_bytes", Double(frame.count), unit: "B", label: "TrajectoryBatch frame size")

    let destination = UnsafeMutableRawBufferPointer.allocate(byteCount: frame.count, alignment: 64)
    defer { destination.deallocate() }
    // Rounds alternate baseline and codec, so that load from other processes hits both alike.
    var memcpyRates: [Double] = []
    var encodeRates: [Double] = []
    var decodeRates: [Double] = []
    for _ in 0..<options.repeats {
        try frame.withUnsafeBytes { source in
            memcpyRates.append(
                medianRate(seconds: options.seconds, repeats: 1) {
                    destination.copyMemory(from: source)
                    return source.count
                })
            encodeRates.append(try medianRate(seconds: options.seconds, repeats: 1) { try message.encode().count })
            decodeRates.append(
                try medianRate(seconds: options.seconds, repeats: 1) {
                    _ = try WireMessage.decode(source)
                    return source.count
                })
        }
    }
    let memcpyRate = median(memcpyRates)
    let encodeRate = median(encodeRates)
    let decodeRate = median(decodeRates)

    report.add("codec_memcpy_mb_per_s", memcpyRate / 1e6, unit: "MB/s", label: "memcpy of the frame (baseline)")
    report.add("codec_encode_mb_per_s", encodeRate / 1e6, unit: "MB/s", label: "msgpack encode")
    report.addRatio("codec_encode", encodeRate, over: memcpyRate, label: "encode / memcpy")
    report.add("codec_decode_mb_per_s", decodeRate / 1e6, unit: "MB/s", label: "msgpack decode")
    report.addRatio("codec_decode", decodeRate, over: memcpyRate, label: "decode / memcpy", target: 0.5)
}

/// The batch the codec is measured on: an IMPALA rollout of T = 128 steps × B = 16 environments.
///
/// Layout (data bytes): observation `f4 [129, 16, 64]` (528,384), action `i8 [128, 16]` (16,384), rewards and
/// behaviour log-probs `f4 [128, 16]` (8,192 each), terminated and truncated `b1 [128, 16]` (2,048 each),
/// behaviour logits for 64 discrete actions `f4 [128, 16, 64]` (524,288), and 8 episode summaries:
/// 1,089,536 tensor bytes, a frame of about 1.04 MiB.
private enum CodecBenchmarkBatch {
    static let steps = 128
    static let envs = 16
    static let features = 64

    static func make() throws(WireError) -> TrajectoryBatch {
        let cells = steps * envs
        return try TrajectoryBatch(
            experimentID: "bench-codec",
            actorID: "bench/actor-0",
            policyVersion: 1,
            steps: steps,
            envs: envs,
            observations: ["observation": try floats([steps + 1, envs, features])],
            actions: [
                "action": try WireTensor(shape: [steps, envs], values: (0..<cells).map { Int64($0 % features) })
            ],
            rewards: try floats([steps, envs]),
            terminated: try WireTensor(shape: [steps, envs], bools: (0..<cells).map { $0 % 200 == 199 }),
            truncated: try WireTensor(shape: [steps, envs], bools: (0..<cells).map { $0 % 500 == 499 }),
            behaviourLogProbs: try floats([steps, envs]),
            behaviourLogits: ["action": try floats([steps, envs, features])],
            episodes: (0..<8).map { EpisodeSummary(episodeReturn: Double($0), length: 200, kpis: ["success": 1]) }
        )
    }

    /// A float tensor of `shape` filled with varied, non-zero values.
    private static func floats(_ shape: [Int]) throws(WireError) -> WireTensor {
        let count = shape.reduce(1, *)
        return try WireTensor(shape: shape, values: (0..<count).map { Float($0 % 1000) * 0.001 - 0.5 })
    }
}
