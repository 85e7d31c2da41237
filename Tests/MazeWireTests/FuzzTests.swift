import MazeWire
import Testing

/// Feeds 10,000 hostile frames to the decoder; each must end in a `WireError` or a valid message.
///
/// The error type is `WireError` by the decoder's signature; what this test establishes is that nothing
/// crashes, traps or hangs, and that every message the decoder does accept is internally consistent.
@Suite("Fuzzing the decoder")
struct FuzzTests {
    private struct Outcomes {
        var decoded = 0
        var failed = 0
        var failures: [String: Int] = [:]

        /// Decodes `frame`; an accepted message must re-encode to a frame that decodes to the same bytes again.
        mutating func feed(_ frame: [UInt8]) throws {
            do {
                let message = try Fixtures.decode(frame)
                let reencoded = try Fixtures.bytes(of: message)
                #expect(try Fixtures.bytes(of: Fixtures.decode(reencoded)) == reencoded)
                decoded += 1
            } catch let error as WireError {
                failed += 1
                failures[Self.kind(of: error), default: 0] += 1
            }
        }

        /// The case name, e.g. `truncated`, so that the summary groups errors by kind rather than by payload.
        private static func kind(of error: WireError) -> String {
            Mirror(reflecting: error).children.first?.label ?? String(describing: error)
        }
    }

    private static let framesPerKind = 2_500

    @Test("10,000 truncated, bit-flipped, random and randomly structured frames never crash the decoder")
    func hostileFrames() throws {
        var random = SplitMix64(seed: 0x5EED_CAFE)
        let valid = [
            try Fixtures.bytes(of: .trajectoryBatch(Fixtures.trajectoryBatch())),
            try Fixtures.bytes(of: .policyUpdate(Fixtures.policyUpdate())),
        ]

        var truncated = Outcomes()
        for _ in 0..<Self.framesPerKind {
            let frame = valid[Int.random(in: 0..<valid.count, using: &random)]
            try truncated.feed(Array(frame.prefix(Int.random(in: 0..<frame.count, using: &random))))
        }
        // A proper prefix of a map can never be a complete message.
        #expect(truncated.decoded == 0)
        #expect(truncated.failed == Self.framesPerKind)

        var flipped = Outcomes()
        for _ in 0..<Self.framesPerKind {
            var frame = valid[Int.random(in: 0..<valid.count, using: &random)]
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                frame[Int.random(in: 0..<frame.count, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            }
            try flipped.feed(frame)
        }
        // Most flips land in tensor bodies and leave a valid message; flips in headers and keys must fail.
        #expect(flipped.decoded > 0)
        #expect(flipped.failed > 0)

        var noise = Outcomes()
        for _ in 0..<Self.framesPerKind {
            try noise.feed(
                (0..<Int.random(in: 0...256, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        #expect(noise.failed > 0)

        var structured = Outcomes()
        for _ in 0..<Self.framesPerKind {
            try structured.feed(RandomFrames.message(using: &random).bytes)
        }
        #expect(structured.failed > 0)

        let all = [truncated, flipped, noise, structured]
        #expect(all.reduce(0) { $0 + $1.decoded + $1.failed } == 4 * Self.framesPerKind)
        for (name, outcome) in zip(["truncated", "bit-flipped", "random bytes", "random structure"], all) {
            print(
                "fuzz \(name): \(outcome.decoded) decoded, \(outcome.failed) refused \(outcome.failures.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" })"
            )
        }
    }
}

/// Random msgpack trees shaped like protocol messages: the right keys with values of random, often wrong, types.
private enum RandomFrames {
    private static let messageKeys = [
        "experiment_id", "actor_id", "policy_version", "steps", "envs", "observations", "actions", "rewards",
        "terminated", "truncated", "behaviour_log_probs", "behaviour_logits", "episodes", "version", "weights",
        "stop", "auxiliary", "return", "length", "kpis",
        // Control messages.
        "worker_id", "host", "pid", "key_fingerprint", "capabilities", "sender_id", "env_steps_per_second",
        "batches_sent", "config_yaml", "update", "overrides", "command_line", "experiments", "state",
        "previous_state", "code", "message",
    ]

    static func message(using random: inout SplitMix64) -> RawMsgPack {
        var entries: [(RawMsgPack, RawMsgPack)] = [
            (.string("v"), Bool.random(using: &random) ? .uint(1) : value(depth: 2, using: &random)),
            (
                .string("type"),
                .string(
                    (WireMessageType.allCases.map(\.rawValue) + ["Unregistered"]).randomElement(using: &random) ?? "")
            ),
        ]
        for key in messageKeys where Int.random(in: 0..<3, using: &random) > 0 {
            entries.append((.string(key), value(depth: 3, using: &random)))
        }
        entries.shuffle(using: &random)
        return .map(entries)
    }

    private static func value(depth: Int, using random: inout SplitMix64) -> RawMsgPack {
        switch Int.random(in: 0..<(depth > 0 ? 10 : 6), using: &random) {
        case 0: .null
        case 1: .bool(Bool.random(using: &random))
        case 2: .uint(UInt64.random(in: 0...8, using: &random))
        case 3: .int(Int64.random(in: -4...4, using: &random))
        case 4: .double(Double.random(in: -1...1, using: &random))
        case 5: .string(messageKeys.randomElement(using: &random) ?? "")
        case 6: tensor(using: &random)
        case 7: .map([(.string("x"), tensor(using: &random)), (.string("y"), value(depth: depth - 1, using: &random))])
        case 8: .array((0..<Int.random(in: 0...3, using: &random)).map { _ in value(depth: depth - 1, using: &random) })
        default:
            .map([(.string(messageKeys.randomElement(using: &random) ?? ""), value(depth: depth - 1, using: &random))])
        }
    }

    private static func tensor(using random: inout SplitMix64) -> RawMsgPack {
        let dtype = ["f4", "i4", "i8", "u1", "b1", "f2"].randomElement(using: &random) ?? ""
        let shape = (0..<Int.random(in: 0...3, using: &random)).map { _ in UInt64.random(in: 0...4, using: &random) }
        let width = dtype == "i8" ? 8 : dtype.hasSuffix("4") ? 4 : 1
        let exact = shape.reduce(1) { $0 * Int($1) } * width
        let count = Bool.random(using: &random) ? exact : Int.random(in: 0...64, using: &random)
        return .tensor(dtype, shape, (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) })
    }
}
