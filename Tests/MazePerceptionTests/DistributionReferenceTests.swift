import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

/// Every distribution against numpy/scipy references on fixed inputs (relative tolerance 1e-5).
@Suite struct DistributionReferenceTests {
    static let fixtures = (try? DistributionFixture.load()) ?? []

    @Test func fixturesCoverEveryDistribution() {
        #expect(Set(Self.fixtures.map(\.distribution)) == Set(DistributionKind.allCases.map(\.rawValue)))
    }

    @Test(arguments: fixtures)
    func logProbMatchesReference(_ fixture: DistributionFixture) throws {
        let (distribution, _) = try fixture.distribution(on: Tape())
        #expect(isClose(try distribution.logProb(fixture.actionTensor).value.scalars, fixture.logProb))
    }

    @Test(arguments: fixtures)
    func entropyMatchesReference(_ fixture: DistributionFixture) throws {
        let (distribution, _) = try fixture.distribution(on: Tape())
        #expect(isClose(try distribution.entropy().value.scalars, fixture.entropy))
    }

    @Test(arguments: fixtures)
    func klMatchesReference(_ fixture: DistributionFixture) throws {
        let tape = Tape()
        let (distribution, _) = try fixture.distribution(on: tape)
        let (other, _) = try fixture.distribution(on: tape, other: true)
        #expect(isClose(try distribution.kl(to: other).value.scalars, fixture.kl))
    }

    @Test(arguments: fixtures)
    func klToItselfIsZero(_ fixture: DistributionFixture) throws {
        let (distribution, _) = try fixture.distribution(on: Tape())
        #expect(try distribution.kl(to: distribution).value.scalars.allSatisfy { abs($0) < 1e-5 })
    }

    @Test func klBetweenDifferentKindsIsAnError() throws {
        let tape = Tape()
        let categorical = try CategoricalDistribution(logits: tape.constant(Tensor(shape: [1, 2], scalars: [0, 1])))
        let bernoulli = try BernoulliDistribution(logits: tape.constant(Tensor(shape: [1, 1], scalars: [0])))
        #expect(throws: PerceptionError.self) { try categorical.kl(to: bernoulli) }
    }
}
