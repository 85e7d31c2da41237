import Synchronization

/// A one-way flag that asks a service loop running on another thread to finish.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the loop to stop; returns whether this call was the first to do so.
    @discardableResult
    public func stop() -> Bool {
        !flag.exchange(true, ordering: .acquiringAndReleasing)
    }

    public var isStopped: Bool { flag.load(ordering: .acquiring) }
}
