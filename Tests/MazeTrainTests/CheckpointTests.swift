import Foundation
import MazeCore
import MazeTensor
import Testing

@testable import MazeTrain

/// Checkpoints survive a round trip through their files, and a directory without weights is a typed error.
@Suite struct CheckpointTests {
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("maze-checkpoint-\(UUID().uuidString)")
    }

    @Test func roundTripKeepsWeightsOptimizerStatisticsAndConfig() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = ParameterStore([
            "policy.0.weight": try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), "critic.0.bias": Tensor([5]),
        ])
        var optimizer = Adam(learningRate: .constant(0.1))
        var updated = weights
        try optimizer.update(
            &updated,
            gradients: ParameterStore([
                "policy.0.weight": try Tensor(repeating: 1, shape: [2, 2]), "critic.0.bias": Tensor([1]),
            ]))
        let statistics = NormalizationStatistics(entries: [
            "observation": EntryNormalization(
                strategy: .meanZeroStdOne, shift: [0.5], scale: [2], clipLow: nil, clipHigh: nil)
        ])
        let checkpoint = Checkpoint(
            weights: updated, optimizer: optimizer.state, normalization: statistics,
            configYAML: "algorithm:\n  lr: 0.1\n")
        try checkpoint.save(to: directory)
        #expect(try Checkpoint.load(from: directory) == checkpoint)
    }

    @Test func missingWeightsAreATypedError() {
        let directory = Self.temporaryDirectory()
        #expect(
            throws: TrainError.checkpoint(path: directory.path, problem: "no state_dict.safetensors in the directory")
        ) {
            try Checkpoint.load(from: directory)
        }
    }
}
