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
        /// What the next trim gives back.
        var freeable = 0
        var trims = 0
    }

    @Test("Trim, then rebind above the limit; read once per interval; over budget after a rebind: growth or back-off")
    func guardThresholds() {
        let readings = Readings()
        let mebibyte = 1 << 20
        var guarding = ResidentMemoryGuard(
            limitBytes: 400 * mebibyte, checkInterval: .seconds(1), settleTime: .seconds(2),
            maximumBackoff: .seconds(4),
            residentBytes: { readings.bytes },
            releaseFreedMemory: {
                readings.trims += 1
                readings.bytes -= readings.freeable
                readings.freeable = 0
            })
        let start = ContinuousClock.now
        func excess(after seconds: Double, resident: Int) -> Int? {
            readings.bytes = resident * mebibyte
            return guarding.excess(at: start + .seconds(seconds)).map { $0 / mebibyte }
        }
        #expect(excess(after: 0, resident: 300) == nil)
        #expect(excess(after: 0.5, resident: 500) == nil)  // not read again within the interval
        // Memory glibc kept after a peer left is trimmed instead of rebinding.
        readings.freeable = 150 * mebibyte
        #expect(guarding.excess(at: start + .seconds(1)) == nil)
        #expect(readings.trims == 1 && readings.bytes == 350 * mebibyte)
        #expect(excess(after: 2, resident: 500) == 500)
        guarding.recycled(at: start + .seconds(2))
        // Until the settle time has passed nothing is decided; then what is left over the limit is the floor.
        #expect(excess(after: 3, resident: 700) == nil)
        #expect(excess(after: 4, resident: 450) == nil)
        // The first back-off is the settle time: one more try right away.
        #expect(excess(after: 5, resident: 500) == 500)
        guarding.recycled(at: start + .seconds(5))
        #expect(excess(after: 7, resident: 450) == nil)  // did not help again: the back-off doubles to 4 s
        #expect(excess(after: 8, resident: 500) == nil)  // below floor + limit / 4 = 550 MiB, within the back-off
        #expect(excess(after: 9, resident: 500) == 500)  // the back-off has passed
        guarding.recycled(at: start + .seconds(9))
        #expect(excess(after: 11, resident: 460) == nil)  // floor 460; the back-off stays at its maximum, 4 s
        #expect(excess(after: 12, resident: 570) == 570)  // growth of a quarter of the budget: at once
        guarding.recycled(at: start + .seconds(12))
        // The rebind freed the memory: the limit alone applies again.
        #expect(excess(after: 14, resident: 100) == nil)
        #expect(excess(after: 15, resident: 401) == 401)
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
