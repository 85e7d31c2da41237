import MazeConfig
import MazeCore
import MazeTrain

/// What `algorithm=bc` adds to a training setup: Maze's BC settings (`algorithm`) and the demonstrations read from
/// `runner.dataset`, laid out for the env the run trains in and split into training and validation data. Reading
/// them up front means a wrong path or a file recorded in another env is reported, naming the key, before a run
/// folder is made.
struct ImitationSetup {
    /// The `algorithm` option that selects behavioural cloning.
    static let algorithmName = "bc"

    let algorithm: BehaviouralCloning
    let training: Demonstrations.Batch
    let validation: Demonstrations.Batch

    /// Reads the demonstrations for the env `makeEnv` builds and splits them with `seed` (the run's base seed).
    init(_ root: ConfigSection, makeEnv: () throws -> any StructuredEnv, seed: UInt64) throws {
        let settings = try BCSettings(root.section("algorithm"))
        let dataset = try DemonstrationDatasetSettings(runner: root.section("runner"))
        let demonstrations = try Demonstrations(
            files: dataset.files(), cycle: SubStepCycle(makeEnv()), workers: dataset.workers, key: dataset.keyPath)
        (training, validation) = demonstrations.split(validationPercentage: settings.validationPercentage, seed: seed)
        algorithm = BehaviouralCloning(settings, trainingRows: training.count)
    }

    /// Whether `composed` trains by behavioural cloning.
    static func isChosen(in composed: ComposedConfig) -> Bool {
        composed.choice("algorithm") == algorithmName
    }
}
