import Foundation
import MazeWire
import MazeZMQ
import Synchronization

/// The learner's receive stage: a thread of its own that owns the trajectory PULL socket, decodes every frame and
/// checks each batch against the running experiment's `BatchSchema`, so that the update thread spends no time on
/// either while an update runs, and no update waits for a batch to be decoded.
///
/// Decoded batches wait in a bounded hand-off until the update thread takes them (`TrajectoryIngress`, which does
/// the checks that need the learner's state: actor admission, experiment, policy version, staleness, and counts them
/// as received). When the hand-off holds `capacity` batches the stage stops reading, so libzmq's receive buffer fills
/// up to its high-water mark and the actors' PUSH sockets block, as before; flow control's credits are unaffected,
/// because a batch counts as received (and its credit can come back) only once the update thread has taken it.
///
/// Threading: the PULL socket is made, used and closed on the stage's thread only (libzmq sockets are not
/// thread-safe). The two threads share a `Mutex`-guarded state (the hand-off, the schema, the stage's rejection
/// counts and its requests) and an inproc PAIR connection that carries wake-ups both ways: the stage rings after it
/// hands a batch over, so that the update thread's poller wakes up for it; the update thread rings when it freed
/// room in a full hand-off, changed the schema, or wants a rebind or the stop. Both threads block in `zmq_poll`
/// while there is nothing to do: no thread spins.
final class TrajectoryReceiver {
    /// A decoded batch, with the schema check made on the stage's thread for schema generation `generation`.
    struct Received: Sendable {
        let batch: TrajectoryBatch
        /// The sender's CURVE key (`ZMQMessage.userID`), for the update thread's actor admission.
        let senderKey: String?
        /// The schema generation the `violation` was checked against.
        let generation: UInt64
        /// The schema's verdict on the batch (`nil` when it fits, or when its experiment was not the running one).
        let violation: BatchViolation?
    }

    /// What the update thread sets and the stage follows.
    struct Settings: Sendable {
        var experimentID: String?
        var schema: BatchSchema?
        /// Bumped by every change of `experimentID` or `schema`.
        var generation: UInt64 = 0
        /// The most batches the hand-off holds.
        var capacity: Int
    }

    private struct State {
        var settings: Settings
        var handOff: [Received] = []
        /// Batches the update thread is done with, whose storage the stage decodes the next frames into.
        var spares: [TrajectoryBatch] = []
        var rejections: [RejectionReason: Int] = [:]
        var rebindRequested = false
        var stopRequested = false
        /// Whether the stage's thread was started and has not been joined.
        var threadRunning = false
        /// Whether the stage's sockets were made and bound, or why not; set once by the stage's thread.
        var startup: Result<Void, any Error>?
        /// Why the stage ended before it was asked to (a closed context, a socket error).
        var failure: (any Error)?
    }

    /// What both threads reach: the state behind its mutex, and the stage's end.
    private final class Shared: Sendable {
        let state: Mutex<State>
        let finished = DispatchSemaphore(value: 0)
        /// The context until the stage's thread takes it to make its sockets. Taken, not captured: every socket holds
        /// its context, so once the stage has closed its sockets and signalled `finished`, nothing of it may still
        /// hold the context. Otherwise the owner's last release (whose `zmq_ctx_term` finishes closing every socket,
        /// unlinking `ipc://` files) could run late, on the ending thread, after a new learner bound the same
        /// endpoints, and unlink theirs.
        let startupContext: Mutex<ZMQContext?>

        init(_ state: State, context: ZMQContext) {
            self.state = Mutex(state)
            startupContext = Mutex(context)
        }
    }

    private let shared: Shared
    /// The update thread's end of the wake-up connection (the stage's thread has its own).
    private let doorbell: ZMQSocket

    /// Makes and binds the PULL socket with `bindPull` on the stage's thread and starts reading, holding at most
    /// `capacity` decoded batches and decoding within `limits`; throws what binding threw.
    init(
        context: ZMQContext, capacity: Int, limits: DecodeLimits,
        bindPull: @escaping @Sendable (ZMQContext) throws -> ZMQSocket
    ) throws {
        let shared = Shared(State(settings: Settings(capacity: capacity)), context: context)
        self.shared = shared
        let endpoint = "inproc://maze.trajectory-receiver.\(UUID().uuidString)"
        doorbell = try ZMQSocket(.pair, in: context)
        try doorbell.bind(endpoint)
        let ready = DispatchSemaphore(value: 0)
        let thread = Thread { [shared] in
            // Everything the stage made is released when `runStage` returns, before the stage says it has ended.
            Self.runStage(endpoint: endpoint, limits: limits, bindPull: bindPull, ready: ready, shared: shared)
            shared.finished.signal()
        }
        thread.name = "maze-receive"
        shared.state.withLock { $0.threadRunning = true }
        thread.start()
        ready.wait()
        if case .failure(let error) = shared.state.withLock({ $0.startup }) {
            shared.finished.wait()
            shared.state.withLock { $0.threadRunning = false }  // joined: `deinit` waits for nothing
            throw error
        }
    }

    deinit {
        stop()
    }

    /// The socket that becomes readable when the stage has handed batches over: register it with the update
    /// thread's poller. `take` drains its wake-ups.
    var readySocket: ZMQSocket { doorbell }

    /// Frames the stage dropped, by reason: not a single-frame protocol message, malformed, oversized, or not a
    /// trajectory batch.
    var rejections: [RejectionReason: Int] { shared.state.withLock { $0.rejections } }

    /// Batches decoded and not yet taken.
    var pending: Int { shared.state.withLock { $0.handOff.count } }

    /// The current settings.
    var settings: Settings { shared.state.withLock { $0.settings } }

    /// Waits up to `timeout` for a wake-up if nothing is pending, then appends at most `limit` decoded batches to
    /// `taken` in the order they arrived (into its capacity: a caller that empties and reuses it allocates nothing);
    /// returns how many. Rethrows why the stage ended, if it ended on its own.
    @discardableResult
    func take(limit: Int, waiting timeout: Duration = .zero, into taken: inout [Received]) throws -> Int {
        if timeout > .zero, pending == 0 { _ = try doorbell.receive(.timeout(timeout)) }
        while try doorbell.receive(.nonBlocking) != nil {}
        let (count, wasFull) = try shared.state.withLock { state -> (Int, Bool) in
            if let failure = state.failure { throw failure }
            let count = min(max(limit, 0), state.handOff.count)
            let wasFull = state.handOff.count >= state.settings.capacity
            taken.append(contentsOf: state.handOff.prefix(count))
            state.handOff.removeFirst(count)
            return (count, wasFull && count > 0)
        }
        if wasFull { ring() }
        return count
    }

    /// Gives batches the update thread is done with back to the stage, which decodes later frames into their storage
    /// (`WireDecoder.decode(_:reusing:)`), so that a steady intake allocates no batches. The stage keeps up to
    /// `capacity` of them; `batches` is left with the rest.
    ///
    /// The batches move into the stage's state under its lock, so that nothing of this thread still refers to them
    /// when the stage writes into them: pass batches nobody else holds, or their storage is copied, not reused.
    func recycle(_ batches: inout [TrajectoryBatch]) {
        shared.state.withLock { state in
            while state.spares.count < state.settings.capacity, let batch = batches.popLast() {
                state.spares.append(batch)
            }
        }
    }

    /// Changes what the stage checks batches against and how many it holds; batches already handed over keep the
    /// generation they were checked with.
    func update(experimentID: String?, schema: BatchSchema?, capacity: Int) {
        shared.state.withLock { state in
            state.settings.experimentID = experimentID
            state.settings.schema = schema
            state.settings.generation &+= 1
            state.settings.capacity = capacity
        }
        ring()
    }

    /// Asks the stage to drop every connection and the frames buffered for it (`rebindDroppingConnections`);
    /// done on its thread before it reads again.
    func requestRebind() {
        shared.state.withLock { $0.rebindRequested = true }
        ring()
    }

    /// Stops the stage and waits for its thread to end (its socket closed); batches it had handed over stay to be
    /// taken. Idempotent.
    func stop() {
        let running = shared.state.withLock { state in
            defer {
                state.stopRequested = true
                state.threadRunning = false
            }
            return state.threadRunning
        }
        guard running else { return }
        ring()
        shared.finished.wait()
    }

    /// Wakes the stage (a full PAIR queue already holds a wake-up, so a refused send loses nothing).
    private func ring() {
        _ = try? doorbell.send([UInt8](), .dontWait)
    }

    // MARK: The stage's thread

    /// The stage's thread: makes its sockets with the context it takes from `shared`, says whether that worked
    /// (`ready`), then serves until the stop and closes its sockets.
    private static func runStage(
        endpoint: String, limits: DecodeLimits, bindPull: (ZMQContext) throws -> ZMQSocket,
        ready: DispatchSemaphore, shared: Shared
    ) {
        let sockets = Result { () throws -> (pull: ZMQSocket, wake: ZMQSocket) in
            guard let context = shared.startupContext.withLock({ $0.take() }) else {
                throw ZMQError(operation: "start the receive stage (its context was taken already)", code: EINVAL)
            }
            let pull = try bindPull(context)
            let wake = try ZMQSocket(.pair, in: context)
            try wake.connect(endpoint)
            return (pull, wake)
        }
        shared.state.withLock { $0.startup = sockets.map { _ in () } }
        ready.signal()
        guard case .success(let sockets) = sockets else { return }
        defer {
            sockets.pull.close()
            sockets.wake.close()
        }
        do {
            try serve(pull: sockets.pull, wake: sockets.wake, limits: limits, shared: shared)
        } catch {
            shared.state.withLock { $0.failure = error }
            _ = try? sockets.wake.send([UInt8](), .dontWait)
        }
    }

    /// Reads, decodes and checks frames until the stop; waits in `zmq_poll` for a frame or a wake-up, and for a
    /// wake-up alone while the hand-off is full.
    private static func serve(pull: ZMQSocket, wake: ZMQSocket, limits: DecodeLimits, shared: Shared) throws {
        let reading = ZMQPoller()
        try reading.register(pull)
        try reading.register(wake)
        let waitingForRoom = ZMQPoller()
        try waitingForRoom.register(wake)
        let message = ZMQMessage()
        guard let decoder = WireDecoder(limits: limits) else {
            throw ZMQError(operation: "allocate the receive stage's decoder", code: ENOMEM)
        }
        // A batch the update thread handed back, for the next frame to be decoded into.
        var spare: TrajectoryBatch?
        while true {
            let (stop, rebind, room) = shared.state.withLock { state in
                defer { state.rebindRequested = false }
                return (state.stopRequested, state.rebindRequested, state.settings.capacity - state.handOff.count)
            }
            if stop { return }
            if rebind { try pull.rebindDroppingConnections() }
            _ = try (room > 0 ? reading : waitingForRoom).poll(timeout: nil)
            while try wake.receive(.nonBlocking) != nil {}
            guard room > 0 else { continue }
            var handed = 0
            // Bounded, so that a flood of frames cannot delay a stop or a rebind for long.
            for _ in 0..<min(room, Self.framesPerRound) {
                guard try pull.receive(into: message, .nonBlocking) else { break }
                if message.hasMoreFrames {
                    try pull.discardRemainingFrames(after: message)
                    reject(.unexpectedFrames, shared)
                    continue
                }
                if spare == nil { spare = shared.state.withLock { $0.spares.popLast() } }
                let decoded = message.withUnsafeBytes { bytes in
                    Result { () throws(WireError) in try decoder.decode(bytes, reusing: &spare) }
                }
                switch decoded {
                case .failure(let error): reject(RejectionReason(error), shared)
                case .success(.trajectoryBatch(let batch)):
                    hand(batch, senderKey: message.userID, shared)
                    handed += 1
                case .success: reject(.wrongMessageType, shared)
                }
            }
            if handed > 0 { _ = try? wake.send([UInt8](), .dontWait) }
        }
    }

    private static var framesPerRound: Int { 1_024 }

    /// Checks `batch` against the schema of its experiment, if that is the running one, and hands it over.
    private static func hand(_ batch: TrajectoryBatch, senderKey: String?, _ shared: Shared) {
        let settings = shared.state.withLock { $0.settings }
        let violation = batch.experimentID == settings.experimentID ? settings.schema?.violation(of: batch) : nil
        let received = Received(
            batch: batch, senderKey: senderKey, generation: settings.generation, violation: violation)
        shared.state.withLock { $0.handOff.append(received) }
    }

    private static func reject(_ reason: RejectionReason, _ shared: Shared) {
        shared.state.withLock { $0.rejections[reason, default: 0] += 1 }
    }
}
