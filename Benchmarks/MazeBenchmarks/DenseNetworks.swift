import Foundation
import MazeTensor

/// The dense networks of a saved model, as chains of layer widths (input, hidden…, output) read from the shapes of
/// the 2-D `….weight` tensors of its `state_dict.safetensors`: what `maze bench workloads` counts FLOPs on and
/// replays with `cblas_sgemm`.
///
/// A network is the first two components of a tensor name (`policy.0`, `critic.0`). Its layers are chained by
/// widths: the first is the one whose input width no other layer produces; each next one takes the previous
/// output, preferring a layer whose own output another layer takes (hidden before head).
struct DenseNetworks: Equatable {
    /// Each network's widths along its chain, by network name.
    let chains: [String: [Int]]

    /// The networks of the weight tensors among `shapes` (name → shape); other tensors (biases) are ignored.
    init(shapes: [String: [Int]]) throws {
        var layers: [String: [(inputs: Int, outputs: Int)]] = [:]
        for (name, shape) in shapes where name.hasSuffix(".weight") && shape.count == 2 {
            let network = name.split(separator: ".").prefix(2).joined(separator: ".")
            layers[network, default: []].append((inputs: shape[1], outputs: shape[0]))
        }
        guard !layers.isEmpty else { throw BenchError.workloadFailed("the model has no dense weight matrices") }
        chains = try layers.mapValues(Self.chain)
    }

    /// The networks of the model saved at `url` (a `.safetensors` file).
    init(contentsOf url: URL) throws {
        let tensors = try SafetensorsArchive(contentsOf: url).tensors
        let shapes = try tensors.names.map { ($0, try tensors.tensor(named: $0).shape) }
        try self.init(shapes: Dictionary(uniqueKeysWithValues: shapes))
    }

    /// FLOPs of one sample's forward and backward pass through every network (`GemmReplay.trainingFlops`).
    var trainingFlopsPerSample: Int {
        chains.values.reduce(0) { $0 + GemmReplay.trainingFlops(sizes: $1, batch: 1) }
    }

    /// The widths along the layers, or an error if they do not form one chain.
    private static func chain(_ layers: [(inputs: Int, outputs: Int)]) throws -> [Int] {
        var remaining = layers
        let isFirst = { (layer: (inputs: Int, outputs: Int)) in !layers.contains { $0.outputs == layer.inputs } }
        guard let first = remaining.firstIndex(where: isFirst) else {
            throw BenchError.workloadFailed("a network's layers form a cycle: \(layers)")
        }
        var widths = [remaining[first].inputs, remaining[first].outputs]
        remaining.remove(at: first)
        while !remaining.isEmpty {
            let width = widths[widths.count - 1]
            let candidates = remaining.indices.filter { remaining[$0].inputs == width }
            let feeding = candidates.first { index in remaining.contains { $0.inputs == remaining[index].outputs } }
            guard let next = feeding ?? candidates.first else {
                throw BenchError.workloadFailed("a network's layers are not one chain: \(layers)")
            }
            widths.append(remaining[next].outputs)
            remaining.remove(at: next)
        }
        return widths
    }
}
