/// Stacks the last `stackSteps` values of chosen observation entries into one entry of shape
/// `[stackSteps] + shape`, oldest first and the current value last (Maze's ObservationStackWrapper).
/// Before enough steps exist, the older slots are zero.
final class ObservationStackWrapper: ObservationTransformingWrapper {
    let inner: any StructuredEnv

    /// The stacking of one observation entry.
    struct StackConfig: Sendable, Hashable {
        var observation: String
        var stackSteps: Int
        /// Keep the unstacked entry as well (the stack is then named `<observation>-<tag>`).
        var keepOriginal: Bool
        /// Suffix of the stacked entry's name; without it the stack replaces the entry's name.
        var tag: String?
        /// Store older slots as differences to the current value instead of raw values.
        var delta: Bool

        init(
            observation: String, stackSteps: Int, keepOriginal: Bool = false, tag: String? = nil, delta: Bool = false
        ) {
            self.observation = observation
            self.stackSteps = stackSteps
            self.keepOriginal = keepOriginal
            self.tag = tag
            self.delta = delta
        }

        var outputName: String {
            if let tag { return "\(observation)-\(tag)" }
            return keepOriginal ? "\(observation)-stacked" : observation
        }
    }

    private let configs: [StackConfig]
    /// Per config: the last `stackSteps` raw values, oldest first.
    private var histories: [[[Float]]]

    init(_ env: any StructuredEnv, configs: [StackConfig]) throws(MazeError) {
        for config in configs where config.stackSteps < 1 {
            throw .invalidConfiguration("stack_steps of '\(config.observation)' must be at least 1")
        }
        inner = env
        self.configs = configs
        histories = configs.map { _ in [] }
    }

    var observationSpaces: [StepKey: DictSpace] {
        inner.observationSpaces.mapValues { space in
            var result = space
            for config in configs {
                guard let original = space[config.observation] else { continue }
                if !config.keepOriginal { result[config.observation] = nil }
                result[config.outputName] = Self.stackedSpace(original, config: config)
            }
            return result
        }
    }

    private static func stackedSpace(_ space: Space, config: StackConfig) -> Space {
        let shape = [config.stackSteps] + space.shape
        if case .box(let box) = space, !config.delta,
            let stacked = try? BoxSpace(
                low: Array([[Double]](repeating: box.low, count: config.stackSteps).joined()),
                high: Array([[Double]](repeating: box.high, count: config.stackSteps).joined()), shape: shape)
        {
            return .box(stacked)
        }
        return (try? BoxSpace(low: -.infinity, high: .infinity, shape: shape)).map(Space.box) ?? space
    }

    func reset() throws -> Observation {
        histories = configs.map { _ in [] }
        return try transformObservation(inner.reset())
    }

    func transformObservation(_ observation: Observation) throws -> Observation {
        var result = observation
        for (index, config) in configs.enumerated() {
            guard let value = observation[config.observation] else { continue }
            let current = value.floats
            if histories[index].isEmpty {
                histories[index] = [[Float]](
                    repeating: [Float](repeating: 0, count: current.count), count: config.stackSteps)
            }
            histories[index].removeFirst()
            histories[index].append(current)
            let slots = histories[index].enumerated().map { slot, frame in
                config.delta && slot < config.stackSteps - 1 ? zip(frame, current).map { $0 - $1 } : frame
            }
            if !config.keepOriginal { result[config.observation] = nil }
            result[config.outputName] = NDArray(floats: Array(slots.joined()), shape: [config.stackSteps] + value.shape)
        }
        return result
    }
}
