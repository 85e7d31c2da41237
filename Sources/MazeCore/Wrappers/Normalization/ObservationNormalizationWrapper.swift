/// Normalizes observations entry by entry (mean-zero-std-one or range-zero-one), with statistics given
/// in the configuration, estimated by sampling the environment, or loaded from a saved file.
///
/// Until statistics exist (``estimateStatistics(samples:policy:seed:)`` or ``statistics`` set), the
/// wrapper passes observations through unchanged, as Maze does while it collects samples.
public final class ObservationNormalizationWrapper: Wrapper {
    public let inner: any StructuredEnv
    private let defaultConfig: NormalizationConfig
    private let manualConfigs: [String: NormalizationConfig]
    private let excluded: Set<String>
    private let innerObservationSpaces: [StepKey: DictSpace]
    /// Per step key: where each entry sits in a flat row and how it is normalized.
    private var layouts: [(key: StepKey, entries: [FlatEntry])] = []
    /// Why the current statistics cannot be applied (e.g. loaded for another env), reported on use.
    private var statisticsError: MazeError?
    /// The whole-row normalization of a single-step env with valid statistics: the vector-env path.
    private var rowPlan: RowNormalization?

    private struct FlatEntry {
        var offset: Int
        var count: Int
        var normalization: EntryNormalization?
    }

    /// The statistics in use; setting them (e.g. loaded with the model) turns normalization on.
    public var statistics: NormalizationStatistics? {
        didSet { rebuildLayouts() }
    }

    /// `defaultConfig` applies to every entry not in `exclude` and not configured in `manual`.
    /// Entries whose configs carry statistics are normalized right away.
    public init(
        _ env: any StructuredEnv, defaultConfig: NormalizationConfig = NormalizationConfig(), exclude: [String] = [],
        manual: [String: NormalizationConfig] = [:]
    ) {
        inner = env
        innerObservationSpaces = env.observationSpaces
        self.defaultConfig = defaultConfig
        manualConfigs = manual
        excluded = Set(exclude)
        var given: [String: EntryNormalization] = [:]
        for (name, _) in observationEntries() {
            if let config = config(for: name), let statistics = config.statistics {
                given[name] = config.normalization(statistics)
            }
        }
        statistics = given.isEmpty ? nil : NormalizationStatistics(entries: given)
        rebuildLayouts()
    }

    private func config(for name: String) -> NormalizationConfig? {
        excluded.contains(name) ? nil : manualConfigs[name] ?? defaultConfig
    }

    /// Every observation entry of every sub-step (first occurrence wins).
    private func observationEntries() -> [(String, Space)] {
        var entries: [(String, Space)] = []
        for key in innerObservationSpaces.keys.sorted() {
            for (name, space) in innerObservationSpaces[key] ?? DictSpace()
            where !entries.contains(where: { $0.0 == name }) {
                entries.append((name, space))
            }
        }
        return entries
    }

    private func rebuildLayouts() {
        statisticsError = nil
        for (name, space) in observationEntries() {
            guard let normalization = statistics?.entries[name] else { continue }
            let counts = [normalization.shift.count, normalization.scale.count]
            if counts.contains(where: { $0 != 1 && $0 != space.elementCount }) || counts[0] != counts[1] {
                statisticsError = .invalidConfiguration(
                    "normalization statistics of '\(name)' have \(counts) values, the entry has \(space.elementCount) elements"
                )
            }
        }
        layouts = innerObservationSpaces.keys.sorted().compactMap { key in
            innerObservationSpaces[key].map { space in
                (
                    key,
                    zip(space.flatOffsets, space).map { offset, entry in
                        FlatEntry(
                            offset: offset, count: entry.space.elementCount,
                            normalization: statistics?.entries[entry.key])
                    }
                )
            }
        }
        rowPlan = nil
        if statistics != nil, statisticsError == nil, layouts.count == 1,
            let space = innerObservationSpaces.values.first
        {
            rowPlan = RowNormalization(
                width: space.flatCount, entries: layouts[0].entries.map { ($0.offset, $0.normalization) })
        }
    }

    /// Runs `policy` (random by default) for `samples` steps, resetting as episodes end, and
    /// estimates the statistics of every entry that has none yet from the raw observations.
    public func estimateStatistics(samples: Int, policy: (any Policy)? = nil, seed: UInt64 = 0) throws {
        let policy = policy ?? RandomPolicy(actionSpaces: inner.actionSpaces, seed: seed)
        inner.seed(seed)
        var rows: [String: [[Float]]] = [:]
        var observation = try inner.reset()
        for _ in 0..<samples {
            for (name, value) in observation { rows[name, default: []].append(value.floats) }
            let action = try policy.computeAction(
                observation: observation, actorID: inner.actorID, deterministic: false, env: inner)
            let result = try inner.step(action)
            observation = result.done ? try inner.reset() : result.observation
        }
        var entries = statistics?.entries ?? [:]
        for (name, space) in observationEntries() where entries[name] == nil {
            guard let config = config(for: name), let sampled = rows[name] else { continue }
            entries[name] = config.estimate(from: sampled, elementCount: space.elementCount)
        }
        statistics = NormalizationStatistics(entries: entries)
    }

    private func normalize(_ observation: Observation) throws -> Observation {
        guard let statistics else { return observation }
        if let statisticsError { throw statisticsError }
        var normalized = observation
        for index in normalized.indices {
            guard let normalization = statistics.entries[normalized.keys[index]] else { continue }
            normalized.modifyValue(at: index) { array in
                var floats = array.floats
                floats.withUnsafeMutableBufferPointer { normalization.apply(to: $0) }
                array = NDArray(floats: floats, shape: array.shape)
            }
        }
        return normalized
    }

    public func reset() throws -> Observation { try normalize(inner.reset()) }

    public func step(_ action: Action) throws -> StepResult {
        var result = try inner.step(action)
        result.observation = try normalize(result.observation)
        return result
    }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        try inner.reset(observationInto: buffer)
        try normalizeInPlace(buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        let outcome = try inner.step(action, observationInto: buffer)
        try normalizeInPlace(buffer)
        return outcome
    }

    public func step(
        flatAction: UnsafeBufferPointer<Float>, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> StepOutcome {
        let outcome = try inner.step(flatAction: flatAction, observationInto: buffer)
        try normalizeInPlace(buffer)
        return outcome
    }

    private func normalizeInPlace(_ buffer: UnsafeMutableBufferPointer<Float>) throws {
        if let rowPlan, rowPlan.apply(to: buffer) { return }
        guard statistics != nil else { return }
        if let statisticsError { throw statisticsError }
        let layout: [FlatEntry]
        if layouts.count == 1 {
            layout = layouts[0].entries
        } else {
            let key = inner.actorID.stepKey
            guard let match = layouts.first(where: { $0.key == key }) else { return }
            layout = match.entries
        }
        for entry in layout {
            entry.normalization?.apply(
                to: UnsafeMutableBufferPointer(rebasing: buffer[entry.offset..<entry.offset + entry.count]))
        }
    }

    /// The normalized observation spaces: normalized entries become float boxes bounded by the clip
    /// range (unbounded without clipping), as the original bounds no longer describe the values.
    public var observationSpaces: [StepKey: DictSpace] {
        guard let statistics else { return innerObservationSpaces }
        return innerObservationSpaces.mapValues { space in
            DictSpace(
                space.map { name, subspace in
                    guard let normalization = statistics.entries[name],
                        let box = try? BoxSpace(
                            low: Double(normalization.clipLow ?? -.infinity),
                            high: Double(normalization.clipHigh ?? .infinity), shape: subspace.shape)
                    else { return (name, subspace) }
                    return (name, .box(box))
                })
        }
    }
}
