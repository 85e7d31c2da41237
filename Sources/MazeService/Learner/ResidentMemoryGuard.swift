import Foundation

/// Watches the learner's resident memory against its budget and says when to rebind the receiving sockets.
///
/// libzmq buffers the frames of a multipart message until its last frame arrives, and no option bounds their
/// sum: a peer that starts messages and never finishes them grows the learner by what it sends (`ZMQ_MAXMSGSIZE`
/// limits each frame, the high-water marks count whole messages). The memory sits in the pipes of the sockets
/// that received it, and dropping their connections frees it (`rebindDroppingConnections`).
///
/// The guard reads the resident set every `checkInterval`. Above the limit it first hands memory that was freed
/// but kept by glibc back to the kernel (`malloc_trim`: glibc keeps freed chunks in its arenas, so a resident set
/// does not shrink by itself once a peer that held memory has gone) and asks for a rebind only if that was not
/// enough. `settleTime` after a rebind, when libzmq has ended the old connections, it trims and measures again:
///
/// - below the limit, the rebind worked and the limit alone applies again;
/// - still above it, either an attack goes on (peers reconnect and keep sending) or the experiment itself needs
///   that much. What was left is the floor, and the next rebind comes when memory grows a quarter of the budget
///   above that floor (an attack that goes on), or, failing that, after a back-off that doubles from
///   `settleTime` up to `maximumBackoff` with every rebind that did not help (memory a finished attack left
///   behind: libzmq keeps unfinished messages of dropped peers until the socket is unbound). A learner whose
///   experiment needs more than the budget therefore keeps training, rebinding at most every `maximumBackoff`.
///
/// A value owned by the service thread.
struct ResidentMemoryGuard {
    /// Resident bytes above which the sockets should be rebound.
    let limitBytes: Int
    /// How often the resident set is read.
    let checkInterval: Duration
    /// How long after a rebind the floor is measured (libzmq ends the old connections in the background).
    let settleTime: Duration
    /// The longest wait between two rebinds that did not bring memory below the limit.
    let maximumBackoff: Duration
    /// The process's resident bytes, or `nil` where they cannot be read.
    private let residentBytes: () -> Int?
    /// Returns memory freed by the process to the kernel.
    private let releaseFreedMemory: () -> Void
    private var nextCheck: ContinuousClock.Instant?
    /// The resident bytes measured `settleTime` after the last rebind, when that was still above the limit.
    private var floorBytes: Int?
    /// When the last rebind happened, and when to measure the floor after it.
    private var lastRebind: ContinuousClock.Instant?
    private var floorCheck: ContinuousClock.Instant?
    /// The wait after a rebind that did not help before the next one, whatever the growth.
    private var backoff: Duration

    init(
        limitBytes: Int, checkInterval: Duration = .milliseconds(100), settleTime: Duration = .milliseconds(500),
        maximumBackoff: Duration = .seconds(60),
        residentBytes: @escaping () -> Int? = ResidentMemoryGuard.processResidentBytes,
        releaseFreedMemory: @escaping () -> Void = ResidentMemoryGuard.trimAllocator
    ) {
        self.limitBytes = limitBytes
        self.checkInterval = checkInterval
        self.settleTime = settleTime
        self.maximumBackoff = maximumBackoff
        self.residentBytes = residentBytes
        self.releaseFreedMemory = releaseFreedMemory
        backoff = settleTime
    }

    /// The resident bytes when the sockets should be rebound now, else `nil`; reads memory at most once per
    /// `checkInterval`. Call `recycled(at:)` after rebinding.
    mutating func excess(at now: ContinuousClock.Instant) -> Int? {
        if let nextCheck, now < nextCheck { return nil }
        nextCheck = now + checkInterval
        if let floorCheck {
            guard now >= floorCheck else { return nil }
            self.floorCheck = nil
            measureFloor()
            return nil
        }
        guard let resident = residentBytes(), resident > limitBytes else { return nil }
        releaseFreedMemory()
        guard let trimmed = residentBytes(), trimmed > limitBytes else { return nil }
        if let floorBytes, let lastRebind, trimmed <= floorBytes + limitBytes / 4, now < lastRebind + backoff {
            return nil
        }
        return trimmed
    }

    /// Records that the sockets were rebound at `now`: the memory left `settleTime` later decides what comes next.
    mutating func recycled(at now: ContinuousClock.Instant) {
        lastRebind = now
        floorCheck = now + settleTime
    }

    /// After a rebind: below the limit, start afresh; above it, that is the floor, and the back-off doubles.
    private mutating func measureFloor() {
        releaseFreedMemory()
        guard let resident = residentBytes(), resident > limitBytes else {
            floorBytes = nil
            backoff = settleTime
            return
        }
        if floorBytes != nil { backoff = min(backoff * 2, maximumBackoff) }
        floorBytes = resident
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
