import MazeWire
import Testing

/// Every control message, fully populated and with optional fields absent, survives encode → decode.
@Suite("Control messages")
struct ControlMessageTests {
    static func samples() throws -> [WireMessage] {
        let status = ExperimentStatus(
            experimentID: "exp-0002", state: .running, epoch: 12, bestReturn: 487.5, actors: 4,
            envStepsPerSecond: 12_345.5, learnerSamplesPerSecond: 6_789.25,
            policyLag: PolicyLagSummary(batches: 900, mean: 1.25, median: 1, p90: 3, p99: 5, max: 9)
        )
        return [
            .register(
                Register(
                    workerID: "host-a/actor-3", host: "host-a", processID: 4242, keyFingerprint: "rq:7f",
                    capabilities: ["cpu", "vector_env"])),
            .register(Register(workerID: "", host: "", processID: 0)),
            .heartbeat(
                Heartbeat(senderID: "host-a/actor-3", envStepsPerSecond: 2_500.5, batchesSent: 77, policyVersion: 12)),
            .heartbeat(Heartbeat(senderID: "learner")),
            .heartbeat(
                Heartbeat(
                    senderID: "host-b/actor-0",
                    assignmentFailure: AssignmentFailure(experimentID: "exp-0002", reason: "unknown environment 'x'"))),
            .assignment(
                Assignment(experimentID: "exp-0001", configYAML: "env:\n  name: CartPole-v1\n", policyVersion: 3)),
            .assignment(Assignment(experimentID: "exp-0001", configYAML: "", policyVersion: nil)),
            .assignment(Assignment(experimentID: "exp-0001", configYAML: "", policyVersion: 2, algorithm: "ppo")),
            .currentWeightsRequest(CurrentWeightsRequest(experimentID: "exp-0001")),
            .currentWeights(CurrentWeights(experimentID: "exp-0001", update: try Fixtures.policyUpdate())),
            .currentWeights(CurrentWeights(experimentID: "exp-0001", update: nil)),
            .submit(
                Submit(
                    configYAML: "algorithm: impala\n", overrides: ["env=gym_env", "algorithm.lr=0.001"],
                    commandLine: ["maze", "submit", "-cn", "conf_train"])),
            .submit(Submit(configYAML: "lr: 0.001\n", algorithm: "impala")),
            .submitted(Submitted(experimentID: "exp-0003")),
            .statusRequest(StatusRequest()),
            .statusReport(
                StatusReport(experiments: [
                    status, ExperimentStatus(experimentID: "exp-0003", state: .queued),
                    ExperimentStatus(experimentID: "exp-0004", state: .failed, failure: "the env cannot be built"),
                    ExperimentStatus(
                        experimentID: "exp-0005", state: .running,
                        actorFailures: [ActorFailure(actorID: "host-b/actor-0", reason: "unknown environment 'x'")]),
                ])),
            .statusReport(StatusReport(experiments: [])),
            .cancel(Cancel(experimentID: "exp-0003")),
            .cancelled(Cancelled(experimentID: "exp-0003", previousState: .queued)),
            .error(ControlError(code: "unknown_experiment", message: "no experiment 'exp-9'")),
        ]
    }

    @Test("Each control message decodes to an equal value")
    func roundTrips() throws {
        let samples = try Self.samples()
        for message in samples {
            #expect(try Fixtures.decode(Fixtures.bytes(of: message)) == message)
        }
        // Every registry entry is covered by a sample.
        #expect(Set(samples.map(\.type)).union([.trajectoryBatch, .policyUpdate]) == Set(WireMessageType.allCases))
    }

    @Test("An unknown experiment state is a wrong-type error naming the field")
    func unknownState() throws {
        let frame = RawMsgPack.object([
            "v": .uint(1), "type": .string("Cancelled"), "experiment_id": .string("x"),
            "previous_state": .string("paused"),
        ]).bytes
        #expect(
            throws: WireError.wrongType(
                field: "previous_state",
                expected: "one of [\"queued\", \"running\", \"done\", \"failed\", \"cancelled\"]")
        ) {
            try Fixtures.decode(frame)
        }
    }

    @Test("A missing required control field is reported by name")
    func missingField() throws {
        let frame = RawMsgPack.object(["v": .uint(1), "type": .string("Register"), "worker_id": .string("a")]).bytes
        #expect(throws: WireError.missingField("host")) { try Fixtures.decode(frame) }
    }

    @Test("10,000 truncated and bit-flipped control frames end in a WireError or a consistent message")
    func fuzz() throws {
        var random = SplitMix64(seed: 0xC0_47_20_1)
        let frames = try Self.samples().map { try Fixtures.bytes(of: $0) }
        var refused = 0
        var accepted = 0
        for round in 0..<10_000 {
            var frame = frames[Int.random(in: 0..<frames.count, using: &random)]
            if round % 2 == 0 {
                frame = Array(frame.prefix(Int.random(in: 0..<frame.count, using: &random)))
            } else {
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    frame[Int.random(in: 0..<frame.count, using: &random)] ^=
                        1 << UInt8.random(in: 0..<8, using: &random)
                }
            }
            do {
                let message = try Fixtures.decode(frame)
                let reencoded = try Fixtures.bytes(of: message)
                #expect(try Fixtures.decode(reencoded) == message)
                accepted += 1
            } catch is WireError {
                refused += 1
            }
        }
        #expect(accepted + refused == 10_000)
        // Truncations can never decode, so at least half are refused.
        #expect(refused >= 5_000)
    }
}
