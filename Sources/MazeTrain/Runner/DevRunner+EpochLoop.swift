import MazeCore

extension DevRunner {
    /// The one epoch loop of training in this process, shared by the dev runner and ES's runner: `update` gathers
    /// experience with the session's model and makes one update (returning the env steps taken and the seconds spent
    /// gathering them) until the epoch is complete; then the session evaluates and ends the epoch with the training
    /// episodes `trainStatistics` pops. Stops on the session's verdict (`n_epochs`, patience), the target return or
    /// ``Options/maxEnvSteps``. `initialEnvSteps` were taken before the first epoch (SAC's initial buffer).
    static func train(
        _ session: TrainingSession<Model>, options: Options, initialEnvSteps: Int = 0,
        trainStatistics: () throws -> LogStats, update: () throws -> (envSteps: Int, rolloutSeconds: Double)
    ) throws -> Summary {
        let epochLength = session.algorithm.common.epochLength
        var summary = Summary(
            epochs: 0, envSteps: initialEnvSteps, learnerSamplesPerSecond: 0, envStepsPerSecond: 0)
        var rolloutTime = 0.0
        while !session.isFinished {
            options.onUpdate(0, epochLength)
            while !session.isEpochComplete {
                let (envSteps, rolloutSeconds) = try update()
                summary.envSteps += envSteps
                rolloutTime += rolloutSeconds
                options.onUpdate(session.updatesInEpoch, epochLength)
            }
            _ = try session.finishEpoch(trainStatistics: try trainStatistics())
            summary.epochs = session.epoch
            summary.bestReturn = session.selection.best
            if session.reachedTarget {
                summary.envStepsToTarget = summary.envSteps
                break
            }
            if let limit = options.maxEnvSteps, summary.envSteps >= limit { break }
        }
        summary.envStepsPerSecond = rolloutTime > 0 ? Double(summary.envSteps) / rolloutTime : 0
        let updateSeconds = session.updateSeconds
        summary.learnerSamplesPerSecond = updateSeconds > 0 ? Double(session.learnerSamples) / updateSeconds : 0
        return summary
    }
}

extension DevRunner.Options {
    /// The session's share of these options.
    var sessionOptions: TrainingSession<Model>.Options {
        var session = TrainingSession<Model>.Options()
        session.bestModelDirectory = outputDirectory
        session.seed = seed
        session.targetReturn = targetReturn
        session.normalizationSamples = normalizationSamples
        session.configYAML = configYAML
        session.log = log
        session.onEpoch = onEpoch
        return session
    }
}
