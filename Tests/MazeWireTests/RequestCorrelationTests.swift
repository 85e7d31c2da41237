import MazeWire
import Testing

@Suite("Request correlation envelope")
struct RequestCorrelationTests {
    @Test("request_id and in_reply_to travel next to v and type; plain decoding ignores them")
    func roundTrip() throws {
        let message = WireMessage.heartbeat(Heartbeat(senderID: "learner", policyVersion: 4))
        for correlation in [
            RequestCorrelation(), RequestCorrelation(requestID: 7), RequestCorrelation(inReplyTo: 1 << 40),
        ] {
            let frame = try message.encode(correlation: correlation)
            let decoded = try frame.withUnsafeBytes { try WireMessage.decodeCorrelated($0) }
            #expect(decoded.message == message)
            #expect(decoded.correlation == correlation)
            #expect(try frame.withUnsafeBytes { try WireMessage.decode($0) } == message)
        }
    }

    @Test("A status report carries its rejected batches by reason; an absent map decodes as empty")
    func rejectedBatches() throws {
        let status = ExperimentStatus(
            experimentID: "exp-0001", state: .running, rejectedBatches: ["non_finite": 3, "schema": 12])
        let report = WireMessage.statusReport(
            StatusReport(experiments: [status, ExperimentStatus(experimentID: "exp-0002", state: .queued)]))
        #expect(try report.encode().withUnsafeBytes { try WireMessage.decode($0) } == report)
    }
}
