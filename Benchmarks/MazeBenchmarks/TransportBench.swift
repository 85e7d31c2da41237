import ArgumentParser
import Foundation
import MazeZMQ

/// `maze bench transport`: what moving a trajectory batch costs — msgpack encode/decode against `memcpy`, and
/// ZeroMQ message throughput against plain C on the same libzmq.
struct TransportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "msgpack codec against memcpy, and PUSH→PULL over tcp://127.0.0.1 against the same transfer in C."
    )

    @OptionGroup var options: BenchOptions

    func run() throws {
        var report = BenchmarkReport(title: "transport")
        try addCodecFigures(to: &report, options: options)
        try addPushPullFigures(to: &report, options: options)
        print(report.render(json: options.json))
    }
}

/// Measures PUSH→PULL over loopback TCP for 4 KiB, 64 KiB and 1 MiB messages, C baseline and MazeZMQ in turn.
///
/// The Swift side copies the payload once per message, as an encoder does into a malloc'd buffer, then sends
/// it without a further copy; the C side's `zmq_send` copies once too.
func addPushPullFigures(to report: inout BenchmarkReport, options: BenchOptions) throws {
    let sizes: [(bytes: Int, name: String, target: Double?)] = [
        (4 << 10, "4KiB", nil), (64 << 10, "64KiB", 0.9), (1 << 20, "1MiB", 0.9),
    ]
    for size in sizes {
        // About 64 MiB per transfer, so that connecting costs well under a percent of the time.
        let count = max(64, (64 << 20) / size.bytes)
        let payload = [UInt8](repeating: 0x5A, count: size.bytes)
        let (baseline, swift) = try interleavedMedianRates(
            options: options,
            { try PushPullTransfer.c(count: count, size: size.bytes) },
            {
                try PushPullTransfer.swift(count: count, makeMessage: { try mallocCopy(of: payload) }) { message in
                    guard message.count == size.bytes else {
                        throw ZMQError(
                            operation: "zmq_msg_recv (\(message.count) bytes, sent \(size.bytes))", code: EPROTO)
                    }
                }
            }
        )
        let key = "push_pull_\(size.name.lowercased())"
        report.add(key + "_c_mb_per_s", baseline / 1e6, unit: "MB/s", label: "C PUSH→PULL \(size.name)")
        report.add(key + "_mb_per_s", swift / 1e6, unit: "MB/s", label: "MazeZMQ PUSH→PULL \(size.name)")
        report.addRatio(key, swift, over: baseline, label: "MazeZMQ / C \(size.name)", target: size.target)
    }
}

/// `payload` copied into a fresh malloc'd buffer that the message takes over.
private func mallocCopy(of payload: [UInt8]) throws -> ZMQMessage {
    guard let buffer = malloc(max(payload.count, 1)) else {
        throw ZMQError(operation: "malloc(\(payload.count))", code: ENOMEM)
    }
    payload.withUnsafeBytes { source in
        if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: payload.count) }
    }
    return try ZMQMessage(takingMallocBuffer: buffer, count: payload.count)
}
