import Foundation
import MazeCore
import MazeService
import MazeTensor
import MazeWire

/// Model parameters and normalization statistics as the tensors a `PolicyUpdate` carries, matched by name so
/// that learner and actors need not agree on anything but the parameter names of the config's model.
enum WeightsCoding {
    /// The auxiliary tensor holding the observation normalization statistics as UTF-8 JSON bytes.
    static let normalizationKey = "normalization_statistics"

    /// Every parameter as an `f4` tensor of the same shape.
    static func wireTensors(_ parameters: ParameterStore) throws -> [String: WireTensor] {
        var tensors: [String: WireTensor] = [:]
        try write(parameters, into: &tensors)
        return tensors
    }

    /// Makes `tensors` hold every parameter as an `f4` tensor of the same shape, and nothing else. A tensor it holds
    /// under the name, with that shape and storage nobody else shares, is written over in place (taken out of the
    /// dictionary and put back, which keeps its storage too), so that a learner that publishes after every update
    /// into the tensors of the publication before last allocates nothing for it.
    static func write(_ parameters: ParameterStore, into tensors: inout [String: WireTensor]) throws {
        for name in tensors.keys where parameters[name] == nil { tensors[name] = nil }
        for name in parameters.names {
            let tensor = try parameters.tensor(named: name)
            if var wire = tensors.removeValue(forKey: name) {
                try tensor.withUnsafeScalars { try wire.assign($0, shape: tensor.shape) }
                tensors[name] = wire
            } else {
                tensors[name] = try WireTensor(shape: tensor.shape, values: tensor.scalars)
            }
        }
    }

    /// Replaces each of `parameters` with the tensor of the same name in `weights`; a missing name or a
    /// different shape or dtype means learner and actor built different models, which is an error.
    static func assign(_ weights: [String: WireTensor], to parameters: inout ParameterStore) throws {
        for name in parameters.names {
            guard let wire = weights[name] else {
                throw AdapterError.weightsMismatch("the update has no tensor '\(name)'")
            }
            let current = try parameters.tensor(named: name)
            guard wire.shape == current.shape, wire.dtype == .float32 else {
                throw AdapterError.weightsMismatch(
                    "'\(name)' arrived as \(wire.dtype.rawValue) \(wire.shape), the model needs f4 \(current.shape)")
            }
            parameters[name] = try Tensor(shape: wire.shape, scalars: wire.values(as: Float.self))
        }
    }

    /// The statistics as auxiliary tensors (none without statistics).
    static func auxiliary(_ statistics: NormalizationStatistics?) throws -> [String: WireTensor] {
        guard let statistics else { return [:] }
        let json = [UInt8](try JSONEncoder().encode(statistics))
        return [normalizationKey: try WireTensor(shape: [json.count], values: json)]
    }

    /// The statistics in `auxiliary`, if it carries any.
    static func normalization(_ auxiliary: [String: WireTensor]) throws -> NormalizationStatistics? {
        guard let tensor = auxiliary[normalizationKey] else { return nil }
        do {
            return try JSONDecoder().decode(NormalizationStatistics.self, from: Data(tensor.values(as: UInt8.self)))
        } catch {
            throw AdapterError.weightsMismatch("'\(normalizationKey)' is not valid normalization statistics: \(error)")
        }
    }
}

/// Why an adapter could not build or feed the experiment's model.
public enum AdapterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A policy update's tensors do not fit the model built from the config.
    case weightsMismatch(String)
    /// The config asks for something the service cannot run.
    case unsupported(String)
    /// Trajectory batches that cannot be combined into one learner batch.
    case incompatibleBatches(String)

    public var description: String {
        switch self {
        case .weightsMismatch(let problem): "policy weights do not fit the model: \(problem)"
        case .unsupported(let problem): "unsupported experiment: \(problem)"
        case .incompatibleBatches(let problem): "trajectory batches cannot be combined: \(problem)"
        }
    }
}
