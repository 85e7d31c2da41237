import Foundation
import MazeZMQ
import Testing

/// Counts how often a zero-copy buffer was released; written from libzmq's I/O thread.
private final class ReleaseCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var releases = 0

    func record() { lock.withLock { releases += 1 } }
    var count: Int { lock.withLock { releases } }
}

@Suite("Messages and errors")
struct MessageAndErrorTests {
    private static func mallocBuffer(_ bytes: [UInt8]) throws -> UnsafeMutableRawPointer {
        let buffer = try #require(malloc(bytes.count))
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
        return buffer
    }

    @Test("A zero-copy send hands the buffer itself to the receiver and releases it exactly once")
    func zeroCopyReleasedOnce() throws {
        let payload = (0..<4096).map { UInt8(truncatingIfNeeded: $0) }
        let buffer = try Self.mallocBuffer(payload)
        let counter = ReleaseCounter()
        do {
            let context = try ZMQContext()
            let (push, pull) = try makePipeline(in: context)
            let message = try ZMQMessage(takingBuffer: buffer, count: payload.count) { data in
                counter.record()
                free(data)
            }
            try push.send(message)
            #expect(message.count == 0)
            let received = try #require(try pull.receive(.timeout(.seconds(5))))
            // inproc passes the message itself: the receiver reads the very buffer that was sent.
            #expect(received.withUnsafeBytes { $0.baseAddress } == UnsafeRawPointer(buffer))
            #expect(received.bytes == payload)
            #expect(counter.count == 0)
        }
        // All messages, sockets and the context are released: the buffer was freed once, no more.
        #expect(counter.count == 1)
    }

    @Test("Unsent or rejected zero-copy buffers are released exactly once; malloc buffers round-trip over TCP")
    func zeroCopyUnsentAndMalloc() throws {
        let counter = ReleaseCounter()
        do {
            let buffer = try Self.mallocBuffer([1, 2, 3])
            let message = try ZMQMessage(takingBuffer: buffer, count: 3) { data in
                counter.record()
                free(data)
            }
            #expect(message.bytes == [1, 2, 3])
        }
        #expect(counter.count == 1)
        // A message that cannot be made still takes the buffer: it is released, once, before the error.
        #expect(throws: ZMQError.self) {
            try ZMQMessage(takingBuffer: try Self.mallocBuffer([4]), count: -1) { data in
                counter.record()
                free(data)
            }
        }
        #expect(counter.count == 2)

        let context = try ZMQContext()
        let (push, pull) = try makePipeline(in: context, bindingPullTo: TestEndpoint.anyLoopbackPort)
        let payload = [UInt8](repeating: 0x5A, count: 256 * 1024)
        try push.send(ZMQMessage(takingMallocBuffer: try Self.mallocBuffer(payload), count: payload.count))
        let received = try #require(try pull.receive(.timeout(.seconds(5))))
        #expect(received.count == payload.count)
        #expect(received.withUnsafeBytes { $0.allSatisfy { $0 == 0x5A } })
    }

    @Test("A copying message owns its bytes independently of the source")
    func copyingMessage() throws {
        var source: [UInt8] = [10, 20, 30]
        let message = try ZMQMessage(copying: source)
        source[0] = 99
        #expect(message.bytes == [10, 20, 30])
        #expect(try ZMQMessage(copying: [UInt8]()).count == 0)
    }

    @Test("libzmq failures carry the operation, errno and zmq_strerror text")
    func errorText() throws {
        let context = try ZMQContext()
        let socket = try ZMQSocket(.pull, in: context)
        let error = try #require(throws: ZMQError.self) { try socket.bind("carrier-pigeon://loft") }
        #expect(error.code == EPROTONOSUPPORT)
        #expect(error.message == String(cString: strerror(EPROTONOSUPPORT)))
        #expect(error.operation == "zmq_bind(carrier-pigeon://loft)")
        #expect(error.description.contains("zmq_bind(carrier-pigeon://loft) failed: \(error.message)"))

        socket.close()
        let closed = try #require(throws: ZMQError.self) { try socket.send(text: "late") }
        #expect(closed.code == ENOTSOCK)
        #expect(closed.operation == "zmq_send")
    }

    @Test("Context shutdown turns a blocked receive in another thread into ETERM")
    func shutdownUnblocks() async throws {
        let context = try ZMQContext()
        let endpoint = TestEndpoint.inproc()
        let receiver = Task.detached { () -> Bool in
            do {
                let pull = try ZMQSocket(.pull, in: context)
                try pull.bind(endpoint)
                _ = try pull.receive(.blocking)
                return false
            } catch let error as ZMQError {
                return error.isContextTerminated
            }
        }
        try await Task.sleep(for: .milliseconds(20))
        context.shutdown()
        #expect(try await receiver.value)
    }

    @Test(
        "Releasing a context with a message queued for a peer that never came waits only the linger period",
        .timeLimit(.minutes(1))
    )
    func releaseDoesNotHang() throws {
        do {
            let context = try ZMQContext(defaultLinger: .milliseconds(20))
            let push = try ZMQSocket(.push, in: context)
            #expect(try push.get(.linger) == .milliseconds(20))
            try push.connect(TestEndpoint.ipc())
            #expect(try push.send(Array("undeliverable".utf8), .dontWait))
            // Leaving this scope releases socket and context: with libzmq's default linger (forever)
            // termination would block here for good; the time limit turns that into a failure.
        }
    }
}
