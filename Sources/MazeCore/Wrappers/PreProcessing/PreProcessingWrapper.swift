/// Applies pre-processors to observation entries, each adding `<observation>-<tag>` and optionally
/// dropping the input; later steps may process earlier outputs (Maze's PreProcessingWrapper).
public final class PreProcessingWrapper: ObservationTransformingWrapper {
    public let inner: any StructuredEnv

    /// One pre-processing step.
    public struct Step: Sendable {
        public var observation: String
        public var processor: any PreProcessor
        public var keepOriginal: Bool

        public init(observation: String, processor: any PreProcessor, keepOriginal: Bool = false) {
            self.observation = observation
            self.processor = processor
            self.keepOriginal = keepOriginal
        }

        var outputName: String { "\(observation)-\(processor.tag)" }
    }

    private let steps: [Step]
    private let processedSpaces: [StepKey: DictSpace]
    /// The input space of every step, per sub-step key (steps whose input is absent are skipped).
    private let inputSpaces: [StepKey: [Space?]]

    public init(_ env: any StructuredEnv, steps: [Step]) throws(MazeError) {
        inner = env
        self.steps = steps
        var processed: [StepKey: DictSpace] = [:]
        var inputs: [StepKey: [Space?]] = [:]
        for (key, original) in env.observationSpaces {
            var space = original
            var stepInputs: [Space?] = []
            for step in steps {
                let input = space[step.observation]
                stepInputs.append(input)
                guard let input else { continue }
                let output = try step.processor.processedSpace(input)
                if !step.keepOriginal { space[step.observation] = nil }
                space[step.outputName] = output
            }
            processed[key] = space
            inputs[key] = stepInputs
        }
        let known = Set(env.observationSpaces.values.flatMap(\.keys) + steps.map(\.outputName))
        if let unknown = steps.first(where: { !known.contains($0.observation) }) {
            throw .missingKey(unknown.observation, available: known.sorted())
        }
        processedSpaces = processed
        inputSpaces = inputs
    }

    public var observationSpaces: [StepKey: DictSpace] { processedSpaces }

    public func transformObservation(_ observation: Observation) throws -> Observation {
        let spaces = inputSpaces[inner.actorID.stepKey] ?? []
        var result = observation
        for (index, step) in steps.enumerated() {
            guard index < spaces.count, let space = spaces[index], let value = result[step.observation] else {
                continue
            }
            result[step.outputName] = step.processor.process(value, space: space)
            if !step.keepOriginal { result[step.observation] = nil }
        }
        return result
    }
}
