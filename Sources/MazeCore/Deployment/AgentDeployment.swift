import Foundation

/// Runs an agent inside a production environment that calls it: ``act(mazeState:reward:done:info:)``
/// takes the environment's MazeState and returns the MazeAction, while the wrapper stack (observation
/// normalization, stacking, action conversions …) stays on the agent's side, as in training (Maze's
/// AgentDeployment).
///
/// The stack runs on a dedicated thread that waits for each state, so stateful wrappers see exactly
/// the sequence of steps they saw in training.
public final class AgentDeployment<MazeState: Sendable, MazeAction: Sendable>: @unchecked Sendable {
    // Unchecked: the env and policy are touched only by the worker thread; the caller only uses the
    // mailbox, which hands values over through semaphores.
    private let mailbox = DeploymentMailbox<MazeState, MazeAction>()
    private var worker: Thread?
    private var waitingForFirstState = true
    private var closed = false

    /// Builds the stack around the conversions: `wrap` receives the bare ``MazeEnv`` and returns it
    /// wrapped (e.g. with `Registries.wrap`), `policy` builds the agent for the wrapped env.
    /// `placeholderState` is what the core reports before the first state arrives.
    public init(
        observationConversion: any ObservationConversion<MazeState>,
        actionConversion: any ActionConversion<MazeState, MazeAction>, placeholderState: MazeState,
        deterministic: Bool = true, wrap: (any StructuredEnv) throws -> any StructuredEnv = { $0 },
        policy: (any StructuredEnv) throws -> any Policy
    ) throws {
        let core = ExternalCoreEnv(mailbox: mailbox, initialState: placeholderState)
        let env = try wrap(
            MazeEnv(core: core, observationConversion: observationConversion, actionConversion: actionConversion))
        let agent = try policy(env)
        let loop = DeploymentLoop(env: env, agent: agent, mailbox: mailbox, deterministic: deterministic)
        let thread = Thread { loop.run() }
        thread.name = "maze-agent-deployment"
        thread.start()
        worker = thread
    }

    deinit { close() }

    /// The action for `mazeState`; `nil` when `done` (the episode is over and the next call starts a
    /// new one). `reward` and `info` are those of the step that led to `mazeState`.
    public func act(mazeState: MazeState, reward: Double = 0, done: Bool = false, info: StepInfo = [:]) throws
        -> MazeAction?
    {
        guard !closed else { throw MazeError.invalidState("the deployment is closed") }
        if waitingForFirstState {
            // the stack is in reset(): this state starts an episode (a done first state has nothing to act on)
            if done { return nil }
            waitingForFirstState = false
            mailbox.post(.state(mazeState, reward: 0, done: false, info: info))
            return try awaitAction()
        }
        mailbox.post(.state(mazeState, reward: reward, done: done, info: info))
        if done {
            waitingForFirstState = true
            return nil
        }
        return try awaitAction()
    }

    private func awaitAction() throws -> MazeAction {
        do { return try mailbox.awaitAction() } catch {
            closed = true  // the worker has ended; nothing would answer the next call
            throw error
        }
    }

    /// Stops the worker thread; later calls to `act` fail.
    public func close() {
        guard !closed else { return }
        closed = true
        mailbox.post(.stop)
    }
}

/// The worker thread's episode loop: reset, then act and step until done, forever.
private final class DeploymentLoop<MazeState: Sendable, MazeAction: Sendable>: @unchecked Sendable {
    private let env: any StructuredEnv
    private let agent: any Policy
    private let mailbox: DeploymentMailbox<MazeState, MazeAction>
    private let deterministic: Bool

    init(
        env: any StructuredEnv, agent: any Policy, mailbox: DeploymentMailbox<MazeState, MazeAction>,
        deterministic: Bool
    ) {
        self.env = env
        self.agent = agent
        self.mailbox = mailbox
        self.deterministic = deterministic
    }

    func run() {
        do {
            while true {
                var observation = try env.reset()
                agent.reset()
                while true {
                    let action = try agent.computeAction(
                        observation: observation, actorID: env.actorID, deterministic: deterministic, env: env)
                    let result = try env.step(action)
                    if result.done { break }
                    observation = result.observation
                }
            }
        } catch is DeploymentStopped {
            return
        } catch {
            mailbox.reply(.failure(error))
        }
    }
}
