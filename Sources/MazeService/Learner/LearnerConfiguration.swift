import Foundation
import MazeWire

/// Settings of `maze learner` that do not depend on the experiment being trained.
public struct LearnerConfiguration: Sendable {
    /// Where to bind the control, trajectory and weights sockets.
    public var endpoints: ServiceEndpoints
    public var security: ServerSecurity
    /// Each experiment writes into `outputsDirectory/<experiment id>/`; the queue state lives here too.
    public var outputsDirectory: URL
    /// Maze's `queue_out_of_sync_factor`: the trajectory queue holds this many updates' worth of batches.
    public var queueOutOfSyncFactor: Int = 1
    /// An actor silent for this long is considered gone.
    public var livenessTimeout: Duration = .seconds(10)
    /// Limits on every inbound frame.
    public var limits: DecodeLimits = .standard
    /// Frames libzmq buffers per actor before their PUSH sockets block.
    public var trajectoryHighWaterMark: Int = 4
    /// A checkpoint is written after this many updates (and when the learner stops).
    public var checkpointEveryUpdates: Int = 100
    /// The role of each allowed CURVE key (`KeyFiles.roles`); `nil` enforces none (every admitted key may do
    /// everything). `maze learner` always sets it under CURVE.
    public var keyRoles: [String: KeyRole]?
    /// What a `Submit` must satisfy to be queued (sizes, queue length, ranges, memory budget).
    public var submissions = SubmissionPolicy()
    /// Credit-based flow control (`BatchCredits`): actors push only the batches the learner can train on
    /// within the accepted policy lag. Off, they push as fast as the buffers take batches.
    public var flowControl = true
    /// Resident memory in bytes above which the learner unbinds and rebinds its three sockets, freeing what peers
    /// left unfinished in them (`ResidentMemoryGuard`); `nil` watches nothing. `maze learner` sets it to
    /// `--memory-budget-mib`.
    public var residentMemoryLimitBytes: Int?
    /// The name the learner uses in its heartbeats.
    public var name: String = "learner"
    /// Receives one line whenever an experiment starts, completes an epoch or ends (`maze learner` prints them).
    public var log: @Sendable (String) -> Void = { _ in }

    public init(endpoints: ServiceEndpoints, security: ServerSecurity, outputsDirectory: URL) {
        self.endpoints = endpoints
        self.security = security
        self.outputsDirectory = outputsDirectory
    }
}
