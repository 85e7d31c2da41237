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
        self.init(blank: ())
        try decode(fields)
    }

    /// Decodes a frame's fields into this batch and checks it (`checkLayout()`), reusing its storage: strings that
    /// did not change are kept, tensors of the same names and shapes are overwritten in place (`tensors(into:)`),
    /// and the episodes reuse the array's capacity. After a throw the batch is unspecified: throw it away.
    mutating func decode(_ fields: WireMap) throws(WireError) {
        try fields.required(Keys.experimentID).string(into: &experimentID)
        try fields.required(Keys.actorID).string(into: &actorID)
        policyVersion = try fields.required(Keys.policyVersion).unsignedInteger()
        steps = try fields.required(Keys.steps).count()
        envs = try fields.required(Keys.envs).count()
        subSteps = try fields.optional(Keys.subSteps)?.count()
        try fields.required(Keys.observations).tensors(into: &observations)
        try fields.required(Keys.actions).tensors(into: &actions)
        try fields.required(Keys.rewards).tensor(into: &rewards)
        try fields.required(Keys.terminated).tensor(into: &terminated)
        try fields.required(Keys.truncated).tensor(into: &truncated)
        try fields.required(Keys.behaviourLogProbs).tensor(into: &behaviourLogProbs)
        if let value = try fields.optional(Keys.behaviourLogits) {
            var logits = behaviourLogits.take() ?? [:]
            try value.tensors(into: &logits)
            behaviourLogits = logits
        } else {
            behaviourLogits = nil
        }
        try decodeEpisodes(fields.required(Keys.episodes).array())
        if let value = try fields.optional(Keys.initialState) {
            var state = initialState.take() ?? .empty
            try value.tensor(into: &state)
            initialState = state
        } else {
            initialState = nil
        }
        try checkLayout()
    }

    /// Decodes `values` into `episodes`, the ones already there in place.
    private mutating func decodeEpisodes(_ values: WireArray) throws(WireError) {
        episodes.removeLast(max(0, episodes.count - values.count))
        for (index, value) in values.enumerated() {
            if index < episodes.count {
                try episodes[index].decode(value.map())
            } else {
                episodes.append(try EpisodeSummary(fields: value.map()))
            }
        }
    }
}

extension EpisodeSummary {
    enum Keys {
        static let episodeReturn = "return"
        static let length = "length"
        static let kpis = "kpis"
    }

    init(fields: WireMap) throws(WireError) {
        self.init(episodeReturn: 0, length: 0)
        try decode(fields)
    }

    /// Decodes a frame's fields into this summary, keeping the capacity of `kpis`.
    mutating func decode(_ fields: WireMap) throws(WireError) {
        episodeReturn = try fields.required(Keys.episodeReturn).double()
        length = try fields.required(Keys.length).integer()
        try fields.required(Keys.kpis).map().namedValues(into: &kpis) { value throws(WireError) in try value.double() }
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
