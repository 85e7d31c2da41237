import Foundation

/// Watches the learner's resident memory against its budget and says when to rebind the receiving sockets.
///
/// libzmq buffers the frames of a multipart message until its last frame arrives, and no option bounds their
/// sum: a peer that starts messages and never finishes them grows the learner by what it sends (`ZMQ_MAXMSGSIZE`
/// limits each frame, the high-water marks count whole messages). The memory sits in the pipes of the sockets
/// that received it, and dropping their connections frees it (`rebindDroppingConnections`).
///
/// The guard reads the resident set every `checkInterval`. Above the threshold it first hands memory that was
/// freed but kept by glibc back to the kernel (`malloc_trim`: glibc keeps freed chunks in its arenas, so a
/// resident set does not shrink by itself once a peer that held memory has gone) and asks for a rebind only if
/// that was not enough. `settleTime` after a rebind, when libzmq has ended the old connections, it trims again
/// and takes what is left as the floor: when rebinding did not bring memory below `limitBytes` (the experiment
/// itself needs that much), the threshold is the floor plus `limitBytes / 4`, so a learner over its budget keeps
/// training instead of rebinding in a loop.
///
/// A value owned by the service thread.
struct ResidentMemoryGuard {
    /// Resident bytes above which the sockets should be rebound.
    let limitBytes: Int
    /// How often the resident set is read.
    let checkInterval: Duration
    /// The process's resident bytes, or `nil` where they cannot be read.
    private let residentBytes: () -> Int?
    /// Returns memory freed by the process to the kernel.
    private let releaseFreedMemory: () -> Void
    /// How long after a rebind the floor is measured (libzmq ends the old connections in the background).
    let settleTime: Duration
    private var nextCheck: ContinuousClock.Instant?
    /// The resident bytes measured `settleTime` after the last rebind.
    private var floorBytes = 0
    /// When to measure the floor, after a rebind.
    private var floorCheck: ContinuousClock.Instant?

    init(
        limitBytes: Int, checkInterval: Duration = .milliseconds(100), settleTime: Duration = .milliseconds(500),
        residentBytes: @escaping () -> Int? = ResidentMemoryGuard.processResidentBytes,
        releaseFreedMemory: @escaping () -> Void = ResidentMemoryGuard.trimAllocator
    ) {
        self.limitBytes = limitBytes
        self.checkInterval = checkInterval
        self.settleTime = settleTime
        self.residentBytes = residentBytes
        self.releaseFreedMemory = releaseFreedMemory
    }

    /// The resident bytes when the sockets should be rebound now, else `nil`; reads memory at most once per
    /// `checkInterval`. Call `recycled(at:)` after rebinding.
    mutating func excess(at now: ContinuousClock.Instant) -> Int? {
        if let nextCheck, now < nextCheck { return nil }
        nextCheck = now + checkInterval
        if let floorCheck {
            guard now >= floorCheck else { return nil }
            self.floorCheck = nil
            releaseFreedMemory()
            floorBytes = residentBytes() ?? 0
            return nil
        }
        let threshold = max(limitBytes, floorBytes + limitBytes / 4)
        guard let resident = residentBytes(), resident > threshold else { return nil }
        releaseFreedMemory()
        guard let trimmed = residentBytes(), trimmed > threshold else { return nil }
        return trimmed
    }

    /// Records that the sockets were rebound at `now`: the memory left `settleTime` later is the new floor.
    mutating func recycled(at now: ContinuousClock.Instant) {
        floorCheck = now + settleTime
    }

    /// This process's resident set in bytes (Linux `/proc/self/statm`), or `nil` elsewhere.
    static func processResidentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        let (bytes, overflow) = pages.multipliedReportingOverflow(by: Int(sysconf(Int32(_SC_PAGESIZE))))
        return overflow ? nil : bytes
    }

    /// glibc's `malloc_trim(0)`, looked up at run time (it is not part of Swift's Glibc module); does nothing
    /// under another C library.
    static func trimAllocator() {
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
    }
}
