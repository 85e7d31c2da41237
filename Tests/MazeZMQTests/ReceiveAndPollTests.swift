import Foundation
import MazeZMQ
import Testing

@Suite("Receive modes and poller")
struct ReceiveAndPollTests {
    @Test("Non-blocking and timed receives report 'nothing yet' as nil, not as an error")
    func nothingYet() throws {
        let context = try ZMQContext()
        let pull = try ZMQSocket(.pull, in: context)
        try pull.bind(TestEndpoint.inproc())
        #expect(try pull.receive(.nonBlocking) == nil)
        #expect(try pull.receive(.timeout(.milliseconds(5))) == nil)
        try pull.set(.receiveTimeout, .milliseconds(5))
        #expect(try pull.receive(.blocking) == nil)
    }

    @Test("Reusing one message for several receives replaces its content")
    func receiveInto() throws {
        let context = try ZMQContext()
        let (push, pull) = try makePipeline(in: context)
        try push.send(text: "first, longer")
        try push.send(text: "second")
        let message = ZMQMessage()
        #expect(try pull.receive(into: message, .timeout(.seconds(5))))
        #expect(message.bytes == Array("first, longer".utf8))
        #expect(try pull.receive(into: message, .timeout(.seconds(5))))
        #expect(message.bytes == Array("second".utf8))
    }

    @Test("The poller times out with no events, then reports exactly the socket that became readable")
    func poller() throws {
        let context = try ZMQContext()
        let control = try ZMQSocket(.pull, in: context)
        let trajectories = try ZMQSocket(.pull, in: context)
        let trajectoryEndpoint = TestEndpoint.inproc()
        try control.bind(TestEndpoint.inproc())
        try trajectories.bind(trajectoryEndpoint)

        let poller = ZMQPoller()
        #expect(try poller.register(control) == 0)
        #expect(try poller.register(trajectories, for: .readable) == 1)
        #expect(try poller.poll(timeout: .milliseconds(10)) == [[], []])

        let push = try ZMQSocket(.push, in: context)
        try push.connect(trajectoryEndpoint)
        try push.send(text: "batch")
        #expect(try poller.poll(timeout: .seconds(5)) == [[], .readable])
        #expect(try trajectories.receiveText(timeout: .zero) == "batch")
    }

    @Test("Polling a closed socket is an error, not a crash")
    func pollerClosedSocket() throws {
        let context = try ZMQContext()
        let pull = try ZMQSocket(.pull, in: context)
        let poller = ZMQPoller()
        try poller.register(pull)
        pull.close()
        let error = try #require(throws: ZMQError.self) { try poller.poll(timeout: .zero) }
        #expect(error.code == ENOTSOCK)
    }
}
