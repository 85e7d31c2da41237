import Foundation
import MazeCore
import MazeTensor

/// Everything needed to continue training or to deploy a policy, saved as files in one directory:
///
/// - `state_dict.safetensors`: the model weights under their parameter names;
/// - `optimizer.safetensors`: the optimizer's slots as `<slot>/<parameter>` tensors, its step count in
///   the metadata (PyTorch's slot names, so any safetensors reader can inspect them);
/// - `statistics.json`: observation normalization statistics, when the wrapper stack normalizes;
/// - `config.yaml`: the composed configuration of the run that wrote it.
///
/// Resuming needs only the weights; the optimizer state is restored when the new trainer's optimizer
/// has the same parameters, so a PPO checkpoint also starts an A2C run.
public struct Checkpoint: Sendable, Equatable {
    public var weights: ParameterStore
    public var optimizer: OptimizerState?
    public var normalization: NormalizationStatistics?
    public var configYAML: String?

    public init(
        weights: ParameterStore, optimizer: OptimizerState? = nil, normalization: NormalizationStatistics? = nil,
        configYAML: String? = nil
    ) {
        self.weights = weights
        self.optimizer = optimizer
        self.normalization = normalization
        self.configYAML = configYAML
    }

    static let weightsFile = "state_dict.safetensors"
    static let optimizerFile = "optimizer.safetensors"
    static let normalizationFile = "statistics.json"
    static let configFile = "config.yaml"
    private static let stepKey = "step"

    /// Writes the files into `directory` (created if needed), replacing earlier ones.
    public func save(to directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try SafetensorsArchive(tensors: weights).write(to: directory.appendingPathComponent(Self.weightsFile))
            if let optimizer {
                try Self.archive(optimizer).write(to: directory.appendingPathComponent(Self.optimizerFile))
            }
            try normalization?.save(to: directory.appendingPathComponent(Self.normalizationFile))
            try configYAML?.write(
                to: directory.appendingPathComponent(Self.configFile), atomically: true, encoding: .utf8)
        } catch {
            throw TrainError.checkpoint(path: directory.path, problem: "cannot write: \(error)")
        }
    }

    /// Reads a checkpoint written by ``save(to:)``; only the weights file is required.
    public static func load(from directory: URL) throws -> Checkpoint {
        let manager = FileManager.default
        func file(_ name: String) -> URL? {
            let url = directory.appendingPathComponent(name)
            return manager.fileExists(atPath: url.path) ? url : nil
        }
        guard let weightsURL = file(weightsFile) else {
            throw TrainError.checkpoint(path: directory.path, problem: "no \(weightsFile) in the directory")
        }
        do {
            return Checkpoint(
                weights: try SafetensorsArchive(contentsOf: weightsURL).tensors,
                optimizer: try file(optimizerFile).map { try optimizerState(SafetensorsArchive(contentsOf: $0)) },
                normalization: try file(normalizationFile).map(NormalizationStatistics.load(from:)),
                configYAML: try file(configFile).map { try String(contentsOf: $0, encoding: .utf8) })
        } catch let error as TrainError {
            throw error
        } catch {
            throw TrainError.checkpoint(path: directory.path, problem: "cannot read: \(error)")
        }
    }

    private static func archive(_ state: OptimizerState) -> SafetensorsArchive {
        var tensors = ParameterStore()
        for (slot, store) in state.slots {
            for name in store.names { tensors[slot + "/" + name] = store[name] }
        }
        return SafetensorsArchive(tensors: tensors, metadata: [stepKey: String(state.step)])
    }

    private static func optimizerState(_ archive: SafetensorsArchive) throws(TrainError) -> OptimizerState {
        guard let stepText = archive.metadata[stepKey], let step = Int(stepText), step >= 0 else {
            throw .checkpoint(path: optimizerFile, problem: "metadata has no valid '\(stepKey)'")
        }
        var slots: [String: ParameterStore] = [:]
        for name in archive.tensors.names {
            guard let separator = name.firstIndex(of: "/") else {
                throw .checkpoint(path: optimizerFile, problem: "tensor '\(name)' is not named <slot>/<parameter>")
            }
            slots[String(name[..<separator]), default: ParameterStore()][
                String(name[name.index(after: separator)...])] =
                archive.tensors[name]
        }
        return OptimizerState(step: step, slots: slots)
    }
}
