import Foundation

/// Records a worker's rollout as the settings ask: trajectories through the writer, events as TSV.
final class RolloutRecorder: RolloutObserver {
    private let eventLog: EventLogWriter?
    private let trajectoryWriter: (any TrajectoryWriter)?
    private var trajectory: TrajectoryRecord?

    init(settings: RolloutSettings, worker: Int) throws {
        eventLog =
            settings.recordEventLogs
            ? try EventLogWriter(
                directory: settings.outputDirectory.appendingPathComponent("event_logs")
                    .appendingPathComponent("worker_\(worker)"))
            : nil
        trajectoryWriter = settings.recordTrajectory ? settings.trajectoryWriter : nil
    }

    func didStep(_ step: TrajectoryStep, env: any StructuredEnv, episodeIndex: Int, stepIndex: Int) throws {
        try eventLog?.write(env.events.lastStep, episodeID: episodeIndex, step: stepIndex)
        guard trajectoryWriter != nil else { return }
        if trajectory?.episodeIndex != episodeIndex {
            trajectory = TrajectoryRecord(episodeIndex: episodeIndex, envSeed: 0, agentSeed: 0)
        }
        trajectory?.steps.append(step)
    }

    func didFinishEpisode(_ outcome: EpisodeOutcome) throws {
        guard let trajectoryWriter, var record = trajectory, record.episodeIndex == outcome.episodeIndex else { return }
        record.envSeed = outcome.envSeed
        record.agentSeed = outcome.agentSeed
        try trajectoryWriter.write(record)
        trajectory = nil
    }
}
