import Dispatch
import Foundation

/// The hand-over between the caller of ``AgentDeployment/act(mazeState:reward:done:info:)`` and the
/// thread that runs the wrapper stack and policy: one state goes in, at most one action comes out.
final class DeploymentMailbox<MazeState: Sendable, MazeAction: Sendable>: @unchecked Sendable {
    // Unchecked: the message queue is guarded by the lock; the action slot is written before its
    // semaphore is signalled and read only after the wait, with at most one action outstanding.
    enum Message {
        case state(MazeState, reward: Double, done: Bool, info: StepInfo)
        case stop
    }

    /// Messages in posting order: a caller may post the end of an episode and the next episode's
    /// first state before the worker has taken the first one.
    private var messages: [Message] = []
    private let lock = NSLock()
    private var action: Result<MazeAction, any Error>?
    private let messageReady = DispatchSemaphore(value: 0)
    private let actionReady = DispatchSemaphore(value: 0)

    /// Caller side: hands over the next message.
    func post(_ message: Message) {
        lock.withLock { messages.append(message) }
        messageReady.signal()
    }

    /// Worker side: waits for the next message.
    func receive() -> Message {
        messageReady.wait()
        return lock.withLock { messages.isEmpty ? .stop : messages.removeFirst() }
    }

    /// Worker side: hands back the action (or the error that ended the worker).
    func reply(_ result: Result<MazeAction, any Error>) {
        action = result
        actionReady.signal()
    }

    /// Caller side: waits for the action.
    func awaitAction() throws -> MazeAction {
        actionReady.wait()
        defer { action = nil }
        guard let action else { throw MazeError.invalidState("the deployment worker replied without an action") }
        return try action.get()
    }
}

/// Thrown inside the worker to unwind the wrapper stack when the deployment closes.
struct DeploymentStopped: Error {}

/// A core env whose states come from outside: reset and step wait for the caller's next state, and
/// step hands the MazeAction the stack produced to the caller.
final class ExternalCoreEnv<MazeState: Sendable, MazeAction: Sendable>: CoreEnv {
    private let mailbox: DeploymentMailbox<MazeState, MazeAction>
    private var state: MazeState
    /// A state that continues the caller's episode after a wrapper (e.g. a time limit) ended the
    /// stack's episode: the next reset starts from it instead of waiting.
    private var carryOver: MazeState?
    let events = EventContext()

    init(mailbox: DeploymentMailbox<MazeState, MazeAction>, initialState: MazeState) {
        self.mailbox = mailbox
        state = initialState
    }

    var mazeState: MazeState { state }

    func reset() throws -> MazeState {
        if let carried = carryOver {
            carryOver = nil
            return carried
        }
        guard case .state(let next, _, _, _) = mailbox.receive() else { throw DeploymentStopped() }
        state = next
        return next
    }

    func step(_ action: MazeAction) throws -> CoreStepResult<MazeState> {
        mailbox.reply(.success(action))
        guard case .state(let next, let reward, let done, let info) = mailbox.receive() else {
            throw DeploymentStopped()
        }
        state = next
        carryOver = done ? nil : next
        return CoreStepResult(state: next, reward: reward, done: done, info: info)
    }

    func seed(_ seed: UInt64) {}
}
