import Foundation
import MazeConfig
import MazePerception
import MazeTensor
import Testing

/// `GraphAttentionBlock` against the numpy re-derivation of Maze's block in `tools/gen_perception_fixtures.py`
/// (`Fixtures/graph_attention.json`), built from Maze's keys through the registry.
@Suite struct GraphAttentionReferenceTests {
    struct Case: Decodable {
        struct Settings: Decodable {
            let hiddenFeatures: [Int]
            let nHeads: [Int]
            let attentionAlpha: [Double]
            let nonLins: [String]
            let avgLastHeadAttentions: Bool
        }
        let settings: Settings
        let nodes, adjacency, output: Tensor
        let parameters: [String: Tensor]
    }

    static func cases() throws -> [Case] {
        struct File: Decodable { let graphAttention: [Case] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/graph_attention.json")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(File.self, from: Data(contentsOf: url)).graphAttention
    }

    @Test func outputsEqualTheNumpyReference() throws {
        let cases = try Self.cases()
        #expect(cases.count == 2)
        for reference in cases {
            let settings = reference.settings
            let config: ConfigNode = [
                "_target_": "GraphAttentionBlock", "hidden_features": .list(settings.hiddenFeatures.map { .int($0) }),
                "n_heads": .list(settings.nHeads.map { .int($0) }),
                "attention_alpha": .list(settings.attentionAlpha.map { .double($0) }),
                "non_lins": .list(settings.nonLins.map { .string($0) }),
                "avg_last_head_attentions": .bool(settings.avgLastHeadAttentions), "attention_dropout": 0.0,
            ]
            let block = try BlockGradientTests.block(
                config,
                inputShapes: [Array(reference.nodes.shape.dropFirst()), Array(reference.adjacency.shape.dropFirst())])
            var store = ParameterStore()
            var generator = SeededGenerator(seed: 1)
            try block.initialize(&store, using: &generator)
            #expect(Set(store.names) == Set(reference.parameters.keys))
            for (name, value) in reference.parameters { store[name] = value }
            let output = try block([reference.nodes, reference.adjacency], store)
            #expect(output.shape == reference.output.shape)
            let worst = zip(output.scalars, reference.output.scalars).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst < 1e-4, "largest difference \(worst)")
        }
    }
}
