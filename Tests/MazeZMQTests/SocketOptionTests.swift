import Foundation
import MazeZMQ
import Testing

@Suite("Socket options")
struct SocketOptionTests {
    @Test("Options read back the values they were set to, with -1 surfacing as nil")
    func readBack() throws {
        let context = try ZMQContext(defaultLinger: .milliseconds(250))
        let socket = try ZMQSocket(.dealer, in: context)
        #expect(try socket.get(.linger) == .milliseconds(250))
        try socket.set(.linger, nil)
        #expect(try socket.get(.linger) == nil)
        try socket.set(.linger, .zero)
        #expect(try socket.get(.linger) == .zero)

        try socket.set(.sendHighWaterMark, 7)
        try socket.set(.receiveHighWaterMark, 9)
        #expect(try socket.get(.sendHighWaterMark) == 7)
        #expect(try socket.get(.receiveHighWaterMark) == 9)

        #expect(try socket.get(.maxMessageSize) == nil)
        try socket.set(.maxMessageSize, 1 << 20)
        #expect(try socket.get(.maxMessageSize) == 1 << 20)

        try socket.set(.reconnectInterval, .milliseconds(50))
        try socket.set(.reconnectIntervalMax, .seconds(2))
        #expect(try socket.get(.reconnectInterval) == .milliseconds(50))
        #expect(try socket.get(.reconnectIntervalMax) == .seconds(2))

        try socket.set(.heartbeatInterval, .seconds(1))
        try socket.set(.heartbeatTimeout, .seconds(3))
        try socket.set(.heartbeatTimeToLive, .seconds(10))
        #expect(try socket.get(.heartbeatInterval) == .seconds(1))
        #expect(try socket.get(.heartbeatTimeout) == .seconds(3))
        #expect(try socket.get(.heartbeatTimeToLive) == .seconds(10))

        #expect(try socket.get(.tcpKeepalive) == nil)
        try socket.set(.tcpKeepalive, true)
        try socket.set(.tcpKeepaliveIdle, .seconds(30))
        try socket.set(.tcpKeepaliveInterval, .seconds(5))
        try socket.set(.tcpKeepaliveCount, 4)
        #expect(try socket.get(.tcpKeepalive) == true)
        #expect(try socket.get(.tcpKeepaliveIdle) == .seconds(30))
        #expect(try socket.get(.tcpKeepaliveInterval) == .seconds(5))
        #expect(try socket.get(.tcpKeepaliveCount) == 4)

        try socket.set(.sendTimeout, .milliseconds(20))
        #expect(try socket.get(.sendTimeout) == .milliseconds(20))
        #expect(try socket.get(.receiveTimeout) == nil)

        try socket.set(.immediate, true)
        try socket.set(.conflate, true)
        #expect(try socket.get(.immediate))
        #expect(try socket.get(.conflate))
    }

    @Test("Values libzmq cannot represent are rejected with EINVAL naming the option")
    func outOfRange() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(.push, in: context)
        let negative = try #require(throws: ZMQError.self) { try socket.set(.linger, .milliseconds(-5)) }
        #expect(negative.code == EINVAL)
        #expect(negative.operation.contains("ZMQ_LINGER"))
        let tooLong = try #require(throws: ZMQError.self) {
            try socket.set(.routingID, [UInt8](repeating: 1, count: 256))
        }
        #expect(tooLong.operation.contains("ZMQ_ROUTING_ID"))
    }

    @Test("A full high-water mark makes a non-blocking send report false; every accepted message arrives")
    func highWaterMark() throws {
        let context = try ZMQContext()
        let push = try ZMQSocket(.push, in: context)
        try push.set(.sendHighWaterMark, 4)
        let endpoint = TestEndpoint.inproc()
        try push.bind(endpoint)
        let pull = try ZMQSocket(.pull, in: context)
        try pull.set(.receiveHighWaterMark, 4)
        try pull.connect(endpoint)

        var accepted = 0
        while try push.send(Array("m\(accepted)".utf8), .dontWait) {
            accepted += 1
            try #require(accepted < 1000, "the high-water mark never stopped the sender")
        }
        // An inproc pipe holds the sender's plus the receiver's high-water mark.
        #expect(accepted == 8)
        for index in 0..<accepted {
            #expect(try pull.receiveText(timeout: .seconds(5)) == "m\(index)")
        }
        #expect(try pull.receive(.nonBlocking) == nil)
    }

    @Test("Conflate keeps only the newest message")
    func conflate() throws {
        let context = try ZMQContext()
        let push = try ZMQSocket(.push, in: context)
        let endpoint = TestEndpoint.inproc()
        try push.bind(endpoint)
        let pull = try ZMQSocket(.pull, in: context)
        try pull.set(.conflate, true)
        try pull.connect(endpoint)
        for version in 1...10 { try push.send(text: "weights-v\(version)") }
        #expect(try pull.receiveText() == "weights-v10")
        #expect(try pull.receive(.timeout(.milliseconds(20))) == nil)
    }

    @Test("MAXMSGSIZE drops an oversized frame and the receiving socket keeps working")
    func maxMessageSize() throws {
        let context = try ZMQContext()
        let pull = try ZMQSocket(.pull, in: context)
        try pull.set(.maxMessageSize, 1024)
        let endpoint = try pull.bindResolved(TestEndpoint.anyLoopbackPort)
        let push = try ZMQSocket(.push, in: context)
        try push.set(.reconnectInterval, .milliseconds(10))
        try push.connect(endpoint)

        try push.send([UInt8](repeating: 0xAB, count: 64 * 1024))
        #expect(try pull.receive(.timeout(.milliseconds(100))) == nil)
        // The oversized frame cost the sender its connection; it reconnects and small frames flow again.
        var received: ZMQMessage?
        for attempt in 0..<200 where received == nil {
            try push.send(text: "small-\(attempt)")
            received = try pull.receive(.timeout(.milliseconds(20)))
        }
        let message = try #require(received)
        #expect(message.count <= 1024)
        #expect(String(decoding: message.bytes, as: UTF8.self).hasPrefix("small-"))
    }
}
