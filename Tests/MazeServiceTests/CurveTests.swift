import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

@Suite("CURVE allow-list")
struct CurveTests {
    @Test("An actor whose key is not allowed can neither push nor subscribe; an allowed one can do both")
    func unlistedActorIsShutOut() throws {
        try #require(Curve.isAvailable)
        let directory = try TemporaryDirectory()
        let keys = KeyFiles(directory: directory.url.appendingPathComponent("keys"))
        let learnerKeys = try keys.generate(name: "learner")
        let allowed = try keys.generate(name: "actor-allowed")
        let stranger = try CurveKeyPair.generate()
        let endpoints = try ServiceEndpoints(base: "tcp://127.0.0.1:\(freeBasePort())")

        let learnerContext = try ZMQContext()
        let authenticator = try ZAPAuthenticator(
            context: learnerContext, allowedClientKeys: try keys.allowList(excluding: ["learner"]))
        defer { authenticator.stop() }
        let security = ServerSecurity.curve(serverKeys: learnerKeys, allowedClientKeys: [allowed.publicKey])
        let ingress = try TrajectoryIngress(
            bindingTo: endpoints.trajectories, security: security, capacity: 100, in: learnerContext)
        try ingress.reset(experimentID: "exp-0001", version: 0, staleness: .boundedLag(0), capacity: 100)
        let publisher = try WeightsPublisher(bindingTo: endpoints.weights, security: security, in: learnerContext)

        let actorContext = try ZMQContext()
        func client(_ keys: CurveKeyPair) -> ClientSecurity {
            .curve(clientKeys: keys, serverPublicKey: learnerKeys.publicKey)
        }
        let goodSubscriber = try WeightsSubscriber(
            connectingTo: endpoints.weights, security: client(allowed), in: actorContext)
        let badSubscriber = try WeightsSubscriber(
            connectingTo: endpoints.weights, security: client(stranger), in: actorContext)
        func pusher(_ keys: CurveKeyPair) throws -> ZMQSocket {
            let push = try ZMQSocket(.push, in: actorContext)
            try push.configureCurveClient(keyPair: keys, serverPublicKey: learnerKeys.publicKey)
            try push.connect(endpoints.trajectories)
            return push
        }
        let goodPush = try pusher(allowed)
        let badPush = try pusher(stranger)
        for (push, actor) in [(goodPush, "allowed"), (badPush, "stranger")] {
            try push.send(
                try WireMessage.trajectoryBatch(
                    SyntheticPolicy.batch(
                        RolloutIdentity(experimentID: "exp-0001", actorID: actor, policyVersion: 0))
                ).zmqBytes(), .dontWait)
        }

        var version: UInt64 = 0
        var strangerUpdates = 0
        let goodReceived = try eventually {
            version += 1
            try publisher.drainInbound()
            try publisher.publish(WeightsBroadcastTests.update(version))
            if try badSubscriber.poll(timeout: .milliseconds(5)) != nil { strangerUpdates += 1 }
            try ingress.pump(timeout: .milliseconds(5))
            return try goodSubscriber.poll(timeout: .milliseconds(5)) != nil && ingress.receivedByActor["allowed"] == 1
        }
        #expect(goodReceived)
        // Give the stranger the same time again: still nothing in either direction.
        _ = eventually(seconds: 0.5) {
            if (try? badSubscriber.poll(timeout: .milliseconds(5))) ?? nil != nil { strangerUpdates += 1 }
            _ = try? ingress.pump(timeout: .milliseconds(5))
            return false
        }
        #expect(strangerUpdates == 0)
        #expect(ingress.receivedByActor["stranger"] == nil)
        #expect(authenticator.refusals > 0)
    }
}
