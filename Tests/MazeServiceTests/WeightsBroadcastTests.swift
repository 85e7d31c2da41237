import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

@Suite("Broadcasting container channel")
struct WeightsBroadcastTests {
    /// A publisher and a subscriber connected over ipc:// in a temporary folder.
    private struct Channel {
        let context: ZMQContext
        let directory: TemporaryDirectory
        let endpoint: String
        let publisher: WeightsPublisher
        let subscriber: WeightsSubscriber

        init() throws {
            context = try ZMQContext()
            directory = try TemporaryDirectory()
            endpoint = directory.ipc("weights")
            publisher = try WeightsPublisher(bindingTo: endpoint, security: .insecure, in: context)
            subscriber = try WeightsSubscriber(connectingTo: endpoint, security: .insecure, in: context)
        }
    }

    static func update(_ version: UInt64, stop: Bool = false) throws -> PolicyUpdate {
        PolicyUpdate(
            experimentID: "exp-0001", version: version,
            weights: try CountingAlgorithm.weights(consumed: Int64(version)), stop: stop)
    }

    @Test("The publisher never re-sends an unchanged version, keeps the latest, and sends a stop of the same version")
    func publisherSkipsUnchanged() throws {
        let context = try ZMQContext()
        let publisher = try WeightsPublisher(bindingTo: "inproc://weights-skip", security: .insecure, in: context)
        #expect(try publisher.publish(Self.update(1)))
        #expect(try !publisher.publish(Self.update(1)))
        #expect(try publisher.publish(Self.update(2)))
        #expect(try publisher.publish(Self.update(2, stop: true)))
        #expect(publisher.publishedCount == 3)
        #expect(publisher.latest == (try Self.update(2, stop: true)))
    }

    @Test("A subscriber keeps only the newest update and reports only version changes")
    func subscriberKeepsNewest() throws {
        let channel = try Channel()
        let (publisher, subscriber) = (channel.publisher, channel.subscriber)
        // PUB drops messages until the subscription has arrived: publish increasing versions until one gets through.
        var version: UInt64 = 0
        let joined = try eventually {
            version += 1
            try publisher.drainInbound()  // applies the subscriber's subscription (manual mode)
            try publisher.publish(Self.update(version))
            return try subscriber.poll(timeout: .milliseconds(20)) != nil
        }
        try #require(joined)
        let changesBefore = subscriber.versionChanges
        for next in version + 1...version + 20 { try publisher.publish(Self.update(next)) }
        usleep(100_000)
        let newest = try subscriber.poll(timeout: .milliseconds(500))
        #expect(newest?.version == version + 20)
        #expect(try subscriber.poll(timeout: .milliseconds(50)) == nil)
        #expect(subscriber.versionChanges == changesBefore + 1)
        // An update adopted over control is not reported again when the channel repeats it.
        subscriber.adopt(try Self.update(version + 21))
        #expect(subscriber.current?.version == version + 21)
    }

    @Test("Frames a peer writes to the weights socket are dropped and counted by reason; subscribers still get updates")
    func hostileFramesToThePublisher() throws {
        let channel = try Channel()
        let (publisher, subscriber) = (channel.publisher, channel.subscriber)
        let attacker = try ZMQSocket(.xsub, in: channel.context)
        // Unbounded on the attacker's side: an XSUB drops what does not fit its high-water mark, unseen by the learner.
        try attacker.set(.sendHighWaterMark, 0)
        try attacker.connect(channel.endpoint)
        let frames = HostileFrames(
            valid: try WireMessage.policyUpdate(Self.update(1)).zmqBytes(),
            wrongType: try WireMessage.heartbeat(Heartbeat(senderID: "attacker")).zmqBytes(),
            frameLimit: WeightsPublisher.maxInboundBytes / 2)
        let perKind = 500
        try frames.send(perKind, through: attacker)
        _ = try attacker.send([1, 0x41])  // a subscription to a prefix: not stored, counted

        var expected = Dictionary(uniqueKeysWithValues: HostileFrames.Kind.allCases.map { ($0.reason, perKind) })
        expected[.unwantedSubscription] = 1
        #expect(
            try eventually(seconds: 20) {
                try publisher.drainInbound()
                return publisher.rejections == expected
            }, "\(publisher.rejections)")
        var version: UInt64 = 0
        #expect(
            try eventually {
                version += 1
                try publisher.drainInbound()
                try publisher.publish(Self.update(version))
                return try subscriber.poll(timeout: .milliseconds(20)) != nil
            })
    }

    @Test(
        "Unwanted subscriptions past the limit rebind the weights socket, freeing them; subscribers get updates again")
    func unwantedSubscriptionsRebindTheSocket() throws {
        let channel = try Channel()
        let (publisher, subscriber) = (channel.publisher, channel.subscriber)
        publisher.unwantedSubscriptionBytesLimit = 4 << 10
        var log: [String] = []
        publisher.log = { log.append($0) }
        let attacker = try ZMQSocket(.xsub, in: channel.context)
        try attacker.set(.sendHighWaterMark, 0)
        try attacker.connect(channel.endpoint)
        for index in 0..<100 {
            let prefix = withUnsafeBytes(of: UInt64(index)) { Array($0) } + [UInt8](repeating: 0x41, count: 92)
            _ = try attacker.send([1] + prefix)
        }
        #expect(
            try eventually(seconds: 20) {
                try publisher.drainInbound()
                return publisher.recycles >= 1
            })
        // The attacker's XSUB would send its subscriptions again on reconnecting; this one gives up.
        attacker.close()
        #expect(publisher.rejections[.unwantedSubscription, default: 0] > 4_096 / 101)
        #expect(log.count == 1 && log[0].contains("unwanted subscriptions"), "\(log)")
        var version: UInt64 = 0
        #expect(
            try eventually(seconds: 20) {
                version += 1
                try publisher.drainInbound()
                try publisher.publish(Self.update(version))
                return try subscriber.poll(timeout: .milliseconds(20)) != nil
            })
    }
}
