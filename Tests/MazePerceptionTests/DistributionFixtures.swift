import Foundation
import MazeCore
import MazeTensor

@testable import MazePerception

/// The reference cases written by `tools/gen_distribution_fixtures.py` (numpy + scipy).
struct DistributionFixture: Decodable, CustomStringConvertible {
    struct SpaceDescription: Decodable {
        let type: String
        let n: Int?
        let nvec: [Int]?
        let low: [Double]?
        let high: [Double]?
    }

    let name: String
    let space: SpaceDescription
    let distribution: String
    let parameters: [[Float]]
    let otherParameters: [[Float]]
    let mask: [[Bool]]?
    let actions: [[Float]]
    let logProb: [Double]
    let entropy: [Double]
    let kl: [Double]

    var description: String { name }

    enum CodingKeys: String, CodingKey {
        case name, space, distribution, parameters, mask, actions, entropy, kl
        case otherParameters = "other_parameters"
        case logProb = "log_prob"
    }

    static func load() throws -> [DistributionFixture] {
        struct File: Decodable { let cases: [DistributionFixture] }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/distributions.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }

    /// The action head the case describes.
    func head() throws -> ActionHead {
        let actionSpace: Space
        switch space.type {
        case "discrete": actionSpace = .discrete(space.n ?? 0)
        case "multi_discrete": actionSpace = .multiDiscrete(space.nvec ?? [])
        case "multi_binary": actionSpace = .multiBinary(space.n ?? 0)
        default: actionSpace = .box(try BoxSpace(low: space.low ?? [], high: space.high ?? []))
        }
        guard let kind = DistributionKind(rawValue: distribution) else {
            throw PerceptionError.invalidConfiguration(distribution)
        }
        return try ActionHead(key: name, space: actionSpace, kind: kind)
    }

    /// The case's distribution (or its `other` one) on `tape`, parameters recorded as gradient-tracking inputs.
    func distribution(on tape: Tape, other: Bool = false) throws -> (
        distribution: any ActionDistribution, parameters: Variable
    ) {
        let rows = other ? otherParameters : parameters
        let parameters = tape.parameter(try Tensor(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0 }))
        let mask = try self.mask.map { try Mask(shape: [$0.count, $0[0].count], elements: $0.flatMap { $0 }) }
        return (try head().distribution(parameters: parameters, mask: mask), parameters)
    }

    var actionTensor: Tensor {
        get throws { try Tensor(shape: [actions.count, actions[0].count], scalars: actions.flatMap { $0 }) }
    }
}

/// `|actual − expected| ≤ tolerance · max(1, |expected|)`, elementwise.
func isClose(_ actual: [Float], _ expected: [Double], tolerance: Double = 1e-5) -> Bool {
    actual.count == expected.count
        && zip(actual, expected).allSatisfy { abs(Double($0) - $1) <= tolerance * max(1, abs($1)) }
}
