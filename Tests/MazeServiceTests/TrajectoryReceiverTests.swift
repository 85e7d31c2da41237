import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

@Suite("Trajectory receive stage")
struct TrajectoryReceiverTests {
    /// A schema no synthetic batch fits (their rollouts are not 999 steps long).
    static let unfittable = BatchSchema(steps: 999, observations: [:], actions: [:], actionColumns: [:])

    @Test("The stage reads and decodes batches while the update thread does not call pump; stop counts them all")
    func readsOffTheUpdateThread() throws {
        let context = try ZMQContext()
        let ingress = try TrajectoryIngress(
            bindingTo: "inproc://receive-stage", security: .insecure, capacity: 4, in: context)
        try ingress.reset(experimentID: "exp-0001", version: 0, staleness: .boundedLag(10), capacity: 4)
        let push = try ZMQSocket(.push, in: context)
        try push.connect("inproc://receive-stage")
        for _ in 0..<6 { try push.send(TrajectoryIngressTests.batch(version: 0)) }
        try push.send([0xc1, 0x00])
        // Nothing is taken in on this thread: the stage decodes on its own, up to its bound; the frame it cannot
        // decode waits behind the two batches there is no room for.
        #expect(eventually { ingress.stagePending == 4 })
        #expect(ingress.rejectedCount == 0)
        #expect(ingress.depth == 0)
        #expect(ingress.receivedByActor.isEmpty)
        #expect(try ingress.pump() == 4)
        #expect(ingress.take(4)?.count == 4)
        // Room again: the stage hands over the last two batches and reaches the malformed frame.
        #expect(
            try eventually {
                try ingress.pump()
                return ingress.depth == 2 && ingress.rejections[.malformed] == 1
            })
        for _ in 0..<3 { try push.send(TrajectoryIngressTests.batch(version: 0)) }
        #expect(eventually { ingress.stagePending == 3 })
        // Stopping joins the stage's thread and takes in what it had decoded: every batch read is counted.
        ingress.stop()
        #expect(ingress.receivedByActor["actor-1"] == 9)
        #expect(ingress.disposedByActor["actor-1"] == 4)
    }

    @Test("A batch decoded under one schema is checked again when the experiment changed before it was taken")
    func schemaChangeRechecks() throws {
        let context = try ZMQContext()
        let ingress = try TrajectoryIngress(
            bindingTo: "inproc://receive-schema", security: .insecure, capacity: 4, in: context)
        try ingress.reset(
            experimentID: "exp-0001", version: 0, staleness: .boundedLag(10), capacity: 4, schema: Self.unfittable)
        let push = try ZMQSocket(.push, in: context)
        try push.connect("inproc://receive-schema")
        try push.send(TrajectoryIngressTests.batch(version: 0))
        #expect(eventually { ingress.stagePending == 1 })
        // Checked against the unfittable schema on the stage; the experiment now takes any layout.
        try ingress.reset(experimentID: "exp-0001", version: 0, staleness: .boundedLag(10), capacity: 4)
        #expect(try ingress.pump() == 1)
        #expect(ingress.depth == 1)
        #expect(ingress.rejectedCount == 0)
        // And the other way round: decoded while any layout passed, taken once the schema refuses it.
        try push.send(TrajectoryIngressTests.batch(version: 0))
        #expect(eventually { ingress.stagePending == 1 })
        try ingress.reset(
            experimentID: "exp-0001", version: 0, staleness: .boundedLag(10), capacity: 4, schema: Self.unfittable)
        #expect(try ingress.pump() == 1)
        #expect(ingress.depth == 0)
        #expect(ingress.rejections == [.schema: 1])
    }

    @Test("Batches handed back are decoded into; one still held elsewhere is left as it was")
    func recycledBatchesAreDecodedInto() throws {
        let context = try ZMQContext()
        let ingress = try TrajectoryIngress(
            bindingTo: "inproc://receive-recycle", security: .insecure, capacity: 4, in: context)
        try ingress.reset(experimentID: "exp-0001", version: 1, staleness: .boundedLag(10), capacity: 4)
        let push = try ZMQSocket(.push, in: context)
        try push.connect("inproc://receive-recycle")
        let first = try (0..<2).map { _ in try TrajectoryIngressTests.batch(version: 0) }
        let second = try ["actor-2", "actor-3"].map { try TrajectoryIngressTests.batch(version: 1, actor: $0) }
        for frame in first { try push.send(frame) }
        #expect(
            try eventually {
                try ingress.pump()
                return ingress.depth == 2
            })
        let taken = try #require(ingress.take(2))
        let held = taken[0]
        // Handed back in turn, the stage decodes the first of the next frames into the batch also held here (copied
        // on write) and the second into the other one, which nobody else holds (in place).
        let storage = taken[1].rewards.bytes.withUnsafeBytes { $0.baseAddress }
        ingress.recycle(consume taken)
        for frame in second { try push.send(frame) }
        #expect(
            try eventually {
                try ingress.pump()
                return ingress.depth == 2
            })
        let next = try #require(ingress.take(2))
        #expect(next.map { WireMessage.trajectoryBatch($0) } == (try second.map(Self.decode)))
        #expect(next[1].rewards.bytes.withUnsafeBytes { $0.baseAddress } == storage)
        #expect(WireMessage.trajectoryBatch(held) == (try Self.decode(first[0])))
        ingress.stop()
    }

    private static func decode(_ frame: [UInt8]) throws -> WireMessage {
        try frame.withUnsafeBytes { try WireMessage.decode($0) }
    }
}
