extension TrajectoryBatch: WireMessageBody {
    static var messageType: WireMessageType { .trajectoryBatch }

    var fieldCount: Int {
        12 + (behaviourLogits == nil ? 0 : 1) + (subSteps == nil ? 0 : 1) + (initialState == nil ? 0 : 1)
    }

    var payloadBytes: Int {
        [observations, actions, behaviourLogits ?? [:]].reduce(0) { $0 + $1.payloadBytes }
            + [rewards, terminated, truncated, behaviourLogProbs].reduce(0) { $0 + $1.payloadBytes }
            + (initialState?.payloadBytes ?? 0)
            + experimentID.utf8.count + actorID.utf8.count + 64 * episodes.count
    }

    func writeFields(to writer: inout FrameWriter) {
        writer.writeKey(Keys.experimentID) { $0.write(experimentID) }
        writer.writeKey(Keys.actorID) { $0.write(actorID) }
        writer.writeKey(Keys.policyVersion) { $0.write(policyVersion) }
        writer.writeKey(Keys.steps) { $0.write(steps) }
        writer.writeKey(Keys.envs) { $0.write(envs) }
        if let subSteps {
            writer.writeKey(Keys.subSteps) { $0.write(subSteps) }
        }
        writer.writeKey(Keys.observations) { $0.write(observations) }
        writer.writeKey(Keys.actions) { $0.write(actions) }
        writer.writeKey(Keys.rewards) { $0.write(rewards) }
        writer.writeKey(Keys.terminated) { $0.write(terminated) }
        writer.writeKey(Keys.truncated) { $0.write(truncated) }
        writer.writeKey(Keys.behaviourLogProbs) { $0.write(behaviourLogProbs) }
        if let behaviourLogits {
            writer.writeKey(Keys.behaviourLogits) { $0.write(behaviourLogits) }
        }
        writer.writeKey(Keys.episodes) { writer in
            writer.writeArrayHeader(count: episodes.count)
            for episode in episodes { writer.write(episode) }
        }
        if let initialState {
            writer.writeKey(Keys.initialState) { $0.write(initialState) }
        }
    }

    init(fields: WireMap) throws(WireError) {
        try self.init(
            experimentID: fields.required(Keys.experimentID).string(),
            actorID: fields.required(Keys.actorID).string(),
            policyVersion: fields.required(Keys.policyVersion).unsignedInteger(),
            steps: fields.required(Keys.steps).count(),
            envs: fields.required(Keys.envs).count(),
            subSteps: fields.optional(Keys.subSteps)?.count(),
            observations: fields.required(Keys.observations).tensors(),
            actions: fields.required(Keys.actions).tensors(),
            rewards: fields.required(Keys.rewards).tensor(),
            terminated: fields.required(Keys.terminated).tensor(),
            truncated: fields.required(Keys.truncated).tensor(),
            behaviourLogProbs: fields.required(Keys.behaviourLogProbs).tensor(),
            behaviourLogits: fields.optional(Keys.behaviourLogits)?.tensors(),
            episodes: fields.required(Keys.episodes).array().map { value throws(WireError) in
                try EpisodeSummary(fields: value.map())
            },
            initialState: fields.optional(Keys.initialState)?.tensor()
        )
    }
}

extension EpisodeSummary {
    enum Keys {
        static let episodeReturn = "return"
        static let length = "length"
        static let kpis = "kpis"
    }

    init(fields: WireMap) throws(WireError) {
        self.init(
            episodeReturn: try fields.required(Keys.episodeReturn).double(),
            length: try fields.required(Keys.length).integer(),
            kpis: try fields.required(Keys.kpis).map().namedValues { value throws(WireError) in try value.double() }
        )
    }
}

extension FrameWriter {
    mutating func write(_ episode: EpisodeSummary) {
        writeMapHeader(count: 3)
        writeKey(EpisodeSummary.Keys.episodeReturn) { $0.write(episode.episodeReturn) }
        writeKey(EpisodeSummary.Keys.length) { $0.write(episode.length) }
        writeKey(EpisodeSummary.Keys.kpis) { writer in
            writer.writeMapHeader(count: episode.kpis.count)
            for (name, value) in episode.kpis.sorted(by: { $0.key < $1.key }) {
                writer.write(name)
                writer.write(value)
            }
        }
    }
}
