/// Why a bridged Gymnasium environment could not be built or stepped.
public enum GymBridgeError: Error, Equatable, CustomStringConvertible {
    /// The env server could not be started (interpreter missing, `maze_gym_bridge` not installed, …).
    case serverStartFailed(env: String, detail: String)
    /// Python raised while making or stepping the env: its message and traceback.
    case pythonException(env: String, message: String, traceback: String)
    /// The server did not answer in time: the env hangs (or the machine is overloaded).
    case timedOut(env: String, request: String, seconds: Double, pid: Int32)
    /// A reply that does not follow the bridge's message format.
    case malformedReply(env: String, detail: String)
    /// Servers of one env disagree on its spaces, or an env's spaces have no swift-maze counterpart.
    case spaceMismatch(env: String, detail: String)
    /// A wrapper changed the action between the vector env and the bridged env after the step had been sent.
    case actionChangedByWrapper(env: String)

    public var description: String {
        switch self {
        case .serverStartFailed(let env, let detail):
            "could not start the Gymnasium env server for \(env): \(detail)"
        case .pythonException(let env, let message, let traceback):
            "the Gymnasium env \(env) raised \(message)\nPython traceback (env server):\n\(traceback)"
        case .timedOut(let env, let request, let seconds, let pid):
            "the Gymnasium env server for \(env) (pid \(pid)) did not answer '\(request)' within \(seconds) s: the env hangs "
                + "(raise env.server_timeout if its steps are that slow); the server was killed"
        case .malformedReply(let env, let detail):
            "malformed reply from the Gymnasium env server for \(env): \(detail)"
        case .spaceMismatch(let env, let detail):
            "the Gymnasium env \(env): \(detail)"
        case .actionChangedByWrapper(let env):
            "a wrapper changed the action of the bridged env \(env) after its batched step was sent; bridged envs step "
                + "in batches and need wrappers that pass actions through unchanged"
        }
    }
}
