import Foundation
import MazeTestSupport
import MazeZMQ
import Testing

@testable import MazeService

@Suite("Resident memory guard and socket rebinding")
struct ResidentMemoryGuardTests {
    /// Resident sizes a test feeds to the guard.
    private final class Readings: @unchecked Sendable {
        var bytes = 0
        var trims = 0
    }

    @Test("Rebind above the limit, read at most once per interval; over budget after a rebind, only after growth")
    func guardThresholds() {
        let readings = Readings()
        let mebibyte = 1 << 20
        var guarding = ResidentMemoryGuard(
            limitBytes: 400 * mebibyte, checkInterval: .seconds(1), residentBytes: { readings.bytes },
            releaseFreedMemory: { readings.trims += 1 })
        let start = ContinuousClock.now
        readings.bytes = 300 * mebibyte
        #expect(guarding.excess(at: start) == nil)
        readings.bytes = 500 * mebibyte
        #expect(guarding.excess(at: start + .milliseconds(500)) == nil)  // not read again within the interval
        #expect(guarding.excess(at: start + .seconds(1)) == 500 * mebibyte)
        guarding.recycled()
        // One interval later the memory left is the floor (still over the limit: the experiment needs it).
        readings.bytes = 450 * mebibyte
        #expect(guarding.excess(at: start + .seconds(2)) == nil)
        #expect(readings.trims == 1)
        readings.bytes = 500 * mebibyte
        #expect(guarding.excess(at: start + .seconds(3)) == nil)  // below floor + limit / 4 = 550 MiB
        readings.bytes = 560 * mebibyte
        #expect(guarding.excess(at: start + .seconds(4)) == 560 * mebibyte)
        guarding.recycled()
        // The rebind freed the memory: the limit applies again.
        readings.bytes = 100 * mebibyte
        #expect(guarding.excess(at: start + .seconds(5)) == nil)
        readings.bytes = 401 * mebibyte
        #expect(guarding.excess(at: start + .seconds(6)) == 401 * mebibyte)
        #expect(readings.trims == 2)
    }

    @Test("This process's resident size is read, and the allocator can be trimmed")
    func readsResidentSize() throws {
        let bytes = try #require(ResidentMemoryGuard.processResidentBytes())
        #expect(bytes > 1 << 20 && bytes < 1 << 40)
        ResidentMemoryGuard.trimAllocator()
    }

    @Test("Rebinding keeps a wildcard port and serves peers that reconnect, beside one that left a message unfinished")
    func rebindDropsUnfinishedMessages() throws {
        let context = try ZMQContext()
        let pull = try ServiceSockets.bind(
            .pull, "tcp://127.0.0.1:*", security: .insecure, maxFrameBytes: 1 << 20, in: context)
        let endpoint = try pull.lastEndpoint
        let attacker = try ZMQSocket(.push, in: context)
        let honest = try ZMQSocket(.push, in: context)
        for socket in [attacker, honest] {
            try socket.set(.reconnectInterval, .milliseconds(10))
            try socket.connect(endpoint)
        }
        let chunk = [UInt8](repeating: 7, count: 64 << 10)
        for _ in 0..<16 { try attacker.send(chunk, .moreFrames) }  // never finished
        try honest.send([1])
        let first = try #require(try pull.receiveMultipart(.timeout(.seconds(10))))
        #expect(first.map(\.bytes) == [[1]])

        try pull.rebindDroppingConnections()
        #expect(try pull.lastEndpoint == endpoint)
        #expect(
            try eventually(seconds: 10) {
                try honest.send([2], .dontWait)
                guard let frames = try pull.receiveMultipart(.timeout(.milliseconds(50))) else { return false }
                return frames.map(\.bytes) == [[2]]
            })
    }
}
