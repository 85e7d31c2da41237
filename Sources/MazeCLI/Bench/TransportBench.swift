import ArgumentParser
import Foundation
import MazeBaselines
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
/// Both sides run the same transfer: a fresh context, the PULL bound on `tcp://127.0.0.1:*`, a sender
/// thread, default high-water marks, one copy of the payload per message on the sending side (C:
/// `zmq_send`; Swift: the copy an encoder makes into a malloc'd buffer, then a zero-copy send) and
/// in-place receives into one reused message.
func addPushPullFigures(to report: inout BenchmarkReport, options: BenchOptions) throws {
    let sizes: [(bytes: Int, name: String, target: Double?)] = [
        (4 << 10, "4KiB", nil), (64 << 10, "64KiB", 0.9), (1 << 20, "1MiB", 0.9),
    ]
    for size in sizes {
        // About 64 MiB per transfer, so that connecting costs well under a percent of the time.
        let count = max(64, (64 << 20) / size.bytes)
        let (baseline, swift) = try interleavedMedianRates(
            options: options,
            { try cPushPull(count: count, size: size.bytes) },
            { try swiftPushPull(count: count, size: size.bytes) }
        )
        let key = "push_pull_\(size.name.lowercased())"
        report.add(key + "_c_mb_per_s", baseline / 1e6, unit: "MB/s", label: "C PUSH→PULL \(size.name)")
        report.add(key + "_mb_per_s", swift / 1e6, unit: "MB/s", label: "MazeZMQ PUSH→PULL \(size.name)")
        report.addRatio(key, swift, over: baseline, label: "MazeZMQ / C \(size.name)", target: size.target)
    }
}

/// The median rates of `baseline` and `candidate`, measured in alternation so that load from other
/// processes on a shared machine affects both alike.
private func interleavedMedianRates(
    options: BenchOptions, _ baseline: () throws -> Int, _ candidate: () throws -> Int
) throws -> (baseline: Double, candidate: Double) {
    var baselineRates: [Double] = []
    var candidateRates: [Double] = []
    for _ in 0..<options.repeats {
        baselineRates.append(try medianRate(seconds: options.seconds, repeats: 1, baseline))
        candidateRates.append(try medianRate(seconds: options.seconds, repeats: 1, candidate))
    }
    let median = { (rates: [Double]) in rates.sorted()[rates.count / 2] }
    return (median(baselineRates), median(candidateRates))
}

/// Runs the C baseline once and returns the bytes it moved.
private func cPushPull(count: Int, size: Int) throws -> Int {
    let rate = maze_transport_push_pull(loopbackEndpoint, count, size)
    guard rate > 0 else { throw ZMQError(operation: "maze_transport_push_pull", code: Int32(-rate)) }
    return count * size
}

/// The same transfer as `maze_transport_push_pull`, through MazeZMQ; returns the bytes moved.
private func swiftPushPull(count: Int, size: Int) throws -> Int {
    let context = try ZMQContext()
    let pull = try ZMQSocket(.pull, in: context)
    try pull.set(.receiveTimeout, .seconds(30))
    try pull.bind(loopbackEndpoint)
    let endpoint = try pull.lastEndpoint

    let senderFailure = SenderFailure()
    let senderDone = DispatchSemaphore(value: 0)
    let sender = Thread {
        defer { senderDone.signal() }
        do {
            try sendZeroCopy(count: count, size: size, to: endpoint, in: context)
        } catch {
            senderFailure.record(error)
        }
    }
    sender.start()

    let message = ZMQMessage()
    for index in 0..<count {
        guard try pull.receive(into: message), message.count == size else {
            senderDone.wait()
            throw senderFailure.error ?? ZMQError(operation: "zmq_msg_recv(message \(index + 1) of \(count))", code: EAGAIN)
        }
    }
    senderDone.wait()
    if let error = senderFailure.error { throw error }
    return count * size
}

/// Sends `count` messages of `size` bytes, each copied into a fresh malloc'd buffer that libzmq takes over.
private func sendZeroCopy(count: Int, size: Int, to endpoint: String, in context: ZMQContext) throws {
    let push = try ZMQSocket(.push, in: context)
    // Closing right after the last send must still deliver everything queued.
    try push.set(.linger, nil)
    try push.connect(endpoint)
    let payload = [UInt8](repeating: 0x5A, count: size)
    try payload.withUnsafeBytes { source in
        for _ in 0..<count {
            guard let buffer = malloc(max(size, 1)) else {
                throw ZMQError(operation: "malloc(\(size))", code: ENOMEM)
            }
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: size) }
            try push.send(ZMQMessage(takingMallocBuffer: buffer, count: size))
        }
    }
}

private let loopbackEndpoint = "tcp://127.0.0.1:*"

/// The first error of the sender thread, read by the receiving thread after joining it.
private final class SenderFailure: @unchecked Sendable {
    // @unchecked: `failure` is only accessed under `lock`.
    private let lock = NSLock()
    private var failure: (any Error)?

    func record(_ error: any Error) {
        lock.withLock { failure = failure ?? error }
    }

    var error: (any Error)? { lock.withLock { failure } }
}
