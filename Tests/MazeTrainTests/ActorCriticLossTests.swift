import MazeTensor
import Testing

@testable import MazeTrain

/// The loss terms against values worked out by hand, and the clipped surrogate's gradient vanishing
/// outside the trust region.
@Suite struct ActorCriticLossTests {
    @Test func weightedSumUsesTheCoefficients() throws {
        let tape = Tape()
        var settings = ActorCriticSettings()
        (settings.policyLossCoef, settings.valueLossCoef, settings.entropyCoef) = (2, 0.5, 0.1)
        let values = tape.constant(Tensor([1, 2]))
        let targets = tape.constant(Tensor([2, 4]))
        let valueLoss = try ActorCriticLoss.valueLoss(values: values, targets: targets)
        #expect(valueLoss.value.scalars == [2.5])
        let logProbs = tape.constant(Tensor([-1, -2]))
        let advantages = tape.constant(Tensor([1, -1]))
        let policyLoss = try ActorCriticLoss.policyGradientLoss(logProbs: logProbs, advantages: advantages)
        #expect(policyLoss.value.scalars == [-0.5])
        let loss = try ActorCriticLoss(
            policyLoss: policyLoss, valueLoss: valueLoss, entropy: tape.constant(Tensor(3)), settings: settings)
        #expect(abs(loss.values.total - (2 * -0.5 + 0.5 * 2.5 - 0.1 * 3)) < 1e-6)
        let burnIn = try ActorCriticLoss(
            policyLoss: policyLoss, valueLoss: valueLoss, entropy: tape.constant(Tensor(3)), settings: settings,
            trainPolicy: false)
        #expect(burnIn.values.total == 1.25)
    }

    @Test func clippedSurrogateStopsTheGradientOutsideTheClipRange() throws {
        let tape = Tape()
        // Ratios e^0 = 1 (inside) and e^0.5 ≈ 1.65 (above 1 + ε with a positive advantage: clipped).
        let logProbs = tape.parameter(Tensor([0, 0.5]))
        let loss = try ActorCriticLoss.clippedSurrogateLoss(
            logProbs: logProbs, oldLogProbs: tape.constant(Tensor([0, 0])), advantages: tape.constant(Tensor([1, 1])),
            clipRange: 0.2)
        #expect(abs(loss.value.scalars[0] - -(1 + 1.2) / 2) < 1e-6)
        try tape.backward(from: loss)
        let gradient = try #require(try tape.gradient(of: logProbs))
        #expect(abs(gradient.scalars[0] - -0.5) < 1e-6)
        #expect(gradient.scalars[1] == 0)
    }
}
