import MazeCore
import MazePerception
import MazeTensor
import Testing

/// Gradients of log-prob, entropy and KL with respect to the distribution parameters agree with
/// central finite differences, for every distribution of the fixtures.
@Suite struct DistributionGradientTests {
    /// log-prob + ½ entropy + ¼ KL(self ‖ other), summed over rows: one scalar touching all three terms.
    static func objective(_ fixture: DistributionFixture, parameters: Tensor, on tape: Tape, track: Bool) throws -> (
        Variable, Variable
    ) {
        let variable = track ? tape.parameter(parameters) : tape.constant(parameters)
        let mask = try fixture.mask.map { try Mask(shape: [$0.count, $0[0].count], elements: $0.flatMap { $0 }) }
        let distribution = try fixture.head().distribution(parameters: variable, mask: mask)
        let (other, _) = try fixture.distribution(on: tape, other: true)
        let terms =
            try distribution.logProb(fixture.actionTensor) + distribution.entropy() * 0.5 + distribution.kl(to: other)
            * 0.25
        return (try terms.sum(), variable)
    }

    @Test(arguments: DistributionReferenceTests.fixtures)
    func gradientMatchesFiniteDifferences(_ fixture: DistributionFixture) throws {
        let rows = fixture.parameters
        let parameters = try Tensor(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0 })
        let tape = Tape()
        let (loss, variable) = try Self.objective(fixture, parameters: parameters, on: tape, track: true)
        try tape.backward(from: loss)
        let analytic = try #require(try tape.gradient(of: variable)).scalars
        let step: Float = 1e-2
        for index in parameters.scalars.indices {
            var plus = parameters.scalars
            var minus = parameters.scalars
            plus[index] += step
            minus[index] -= step
            let up = try Self.objective(
                fixture, parameters: Tensor(shape: parameters.shape, scalars: plus), on: Tape(), track: false
            ).0
            let down = try Self.objective(
                fixture, parameters: Tensor(shape: parameters.shape, scalars: minus), on: Tape(), track: false
            ).0
            let numeric = (up.value.scalars[0] - down.value.scalars[0]) / (2 * step)
            #expect(
                abs(numeric - analytic[index]) <= 2e-2 * max(1, abs(numeric)),
                "\(fixture.name) parameter \(index): \(analytic[index]) vs \(numeric)")
        }
    }
}
