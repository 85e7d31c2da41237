import Foundation
import Testing

@testable import MazeTrain

/// GAE and V-trace against `tools/gen_advantage_fixtures.py`, a numpy re-derivation of the papers'
/// sum-form definitions on random rollouts with terminations and truncations mid-batch.
@Suite struct AdvantageFixtureTests {
    struct Case: Decodable {
        let name: String
        let steps: Int
        let envs: Int
        let gamma: Float
        let lambda: Float
        let rhoThreshold: Float?
        let cThreshold: Float?
        let pgRhoThreshold: Float?
        let rewards: [Float]
        let values: [Float]
        let nextValues: [Float]
        let terminated: [Bool]
        let truncated: [Bool]
        let logRhos: [Float]
        let advantages: [Float]
        let returns: [Float]
        let vs: [Float]
        let pgAdvantages: [Float]

        func inputs() throws -> BootstrapInputs {
            try BootstrapInputs(
                stepCount: steps, envCount: envs, rewards: rewards, values: values, nextValues: nextValues,
                terminated: terminated, truncated: truncated)
        }
    }

    struct File: Decodable { let cases: [Case] }

    static let cases: [Case] = Fixture.load(File.self, named: "advantages.json")?.cases ?? []

    @Test func fixturesCoverBothKindsOfEpisodeEnd() throws {
        try #require(Self.cases.count == 3)
        for fixture in Self.cases {
            #expect(fixture.terminated.contains(true))
            #expect(fixture.truncated.contains(true))
        }
    }

    @Test(arguments: cases.map(\.name))
    func gaeMatchesNumpy(name: String) throws {
        let fixture = try #require(Self.cases.first { $0.name == name })
        let (advantages, returns) = GeneralizedAdvantageEstimation.estimate(
            try fixture.inputs(), gamma: fixture.gamma, lambda: fixture.lambda)
        #expect(Fixture.maxDifference(advantages, fixture.advantages) <= 1e-5)
        #expect(Fixture.maxDifference(returns, fixture.returns) <= 1e-5)
    }

    @Test(arguments: cases.map(\.name))
    func vtraceMatchesNumpy(name: String) throws {
        let fixture = try #require(Self.cases.first { $0.name == name })
        let thresholds = VTrace.Thresholds(
            rho: fixture.rhoThreshold, c: fixture.cThreshold, pgRho: fixture.pgRhoThreshold)
        let (vs, pgAdvantages) = try VTrace.targets(
            fixture.inputs(), logRhos: fixture.logRhos, gamma: fixture.gamma, thresholds: thresholds)
        #expect(Fixture.maxDifference(vs, fixture.vs) <= 1e-5)
        #expect(Fixture.maxDifference(pgAdvantages, fixture.pgAdvantages) <= 1e-5)
    }
}
