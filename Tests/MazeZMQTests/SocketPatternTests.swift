import Foundation
import MazeZMQ
import Testing

@Suite("Socket patterns")
struct SocketPatternTests {
    @Test("PUSH → PULL over TCP loopback delivers in order")
    func pushPull() throws {
        let context = try ZMQContext()
        let (push, pull) = try makePipeline(in: context, bindingPullTo: TestEndpoint.anyLoopbackPort)
        let endpoint = try pull.lastEndpoint
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:") && !endpoint.hasSuffix(":*"))
        for index in 0..<3 { try push.send(text: "step-\(index)") }
        #expect(try pull.receiveText() == "step-0")
        #expect(try pull.receiveText() == "step-1")
        #expect(try pull.receiveText() == "step-2")
    }

    @Test("PUB → SUB delivers only subscribed prefixes")
    func pubSub() throws {
        let context = try ZMQContext()
        let pub = try ZMQSocket(.pub, in: context)
        let endpoint = TestEndpoint.inproc()
        try pub.bind(endpoint)
        let sub = try ZMQSocket(.sub, in: context)
        try sub.subscribe(to: Array("weights".utf8))
        try sub.connect(endpoint)
        // Subscriptions travel to the publisher asynchronously: publish until the first one arrives.
        var synchronized = false
        for _ in 0..<200 where !synchronized {
            try pub.send(text: "weights-sync")
            synchronized = try sub.receiveText(timeout: .milliseconds(10)) != nil
        }
        #expect(synchronized)
        while try sub.receive(.nonBlocking) != nil {}
        try pub.send(text: "stats-1")
        try pub.send(text: "weights-2")
        #expect(try sub.receiveText() == "weights-2")
        try sub.unsubscribe(from: Array("weights".utf8))
    }

    @Test("DEALER ↔ ROUTER: the router sees the routing id and replies to it")
    func routerDealer() throws {
        let context = try ZMQContext()
        let router = try ZMQSocket(.router, in: context)
        let endpoint = try router.bindResolved(TestEndpoint.anyLoopbackPort)
        let dealer = try ZMQSocket(.dealer, in: context)
        try dealer.set(.routingID, Array("actor-7".utf8))
        #expect(try dealer.get(.routingID) == Array("actor-7".utf8))
        try dealer.connect(endpoint)

        try dealer.sendMultipart([Array("register".utf8), []])
        let request = try #require(try router.receiveMultipart(.timeout(.seconds(5))))
        #expect(request.map(\.bytes) == [Array("actor-7".utf8), Array("register".utf8), []])

        try router.sendMultipart([request[0].bytes, Array("welcome".utf8)])
        let reply = try #require(try dealer.receiveMultipart(.timeout(.seconds(5))))
        #expect(reply.map(\.bytes) == [Array("welcome".utf8)])
    }

    @Test("REQ ↔ REP round trip over IPC")
    func requestReply() throws {
        let context = try ZMQContext()
        let rep = try ZMQSocket(.rep, in: context)
        let endpoint = TestEndpoint.ipc()
        try rep.bind(endpoint)
        defer { try? FileManager.default.removeItem(atPath: String(endpoint.dropFirst("ipc://".count))) }
        let req = try ZMQSocket(.req, in: context)
        try req.connect(endpoint)
        try req.send(text: "status?")
        #expect(try rep.receiveText() == "status?")
        try rep.send(text: "running")
        #expect(try req.receiveText() == "running")
    }

    @Test("A ROUTER with router-mandatory reports an unknown peer instead of dropping silently")
    func routerMandatory() throws {
        let context = try ZMQContext()
        let router = try ZMQSocket(.router, in: context)
        try router.set(.routerMandatory, true)
        _ = try router.bindResolved(TestEndpoint.anyLoopbackPort)
        let error = try #require(throws: ZMQError.self) {
            try router.sendMultipart([Array("nobody".utf8), Array("hello".utf8)])
        }
        #expect(error.code == EHOSTUNREACH)
    }

    @Test("Multipart messages keep frame boundaries, including empty frames")
    func multipart() throws {
        let context = try ZMQContext()
        let (push, pull) = try makePipeline(in: context)
        let frames: [[UInt8]] = [[1], [], [2, 3, 4], Array(repeating: 9, count: 1000)]
        try push.sendMultipart(frames)
        try push.send(text: "next")
        let received = try #require(try pull.receiveMultipart(.timeout(.seconds(5))))
        #expect(received.map(\.bytes) == frames)
        #expect(received.map(\.hasMoreFrames) == [true, true, true, false])
        #expect(try pull.receiveText() == "next")
    }

    @Test("Disconnecting leaves a PUSH without peers; unbinding an unknown endpoint is a typed error")
    func disconnectAndUnbind() throws {
        let context = try ZMQContext()
        let (push, pull) = try makePipeline(in: context)
        let endpoint = try pull.lastEndpoint
        try push.send(text: "before")
        #expect(try pull.receiveText() == "before")
        try push.disconnect(endpoint)
        #expect(try push.send(Array("after".utf8), .dontWait) == false)

        try pull.unbind(endpoint)
        let error = try #require(throws: ZMQError.self) { try pull.unbind(endpoint) }
        #expect(error.code == ENOENT)
        #expect(error.operation == "zmq_unbind(\(endpoint))")
    }
}
