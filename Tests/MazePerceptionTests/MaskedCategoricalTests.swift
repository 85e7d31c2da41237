import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

@Suite struct MaskedCategoricalTests {
    /// Logits that favour the masked actions, so a leak would show up quickly.
    static func distribution(on tape: Tape) throws -> (CategoricalDistribution, Variable) {
        let logits = tape.parameter(try Tensor(shape: [2, 4], scalars: [5, 0, 5, 1, -1, 8, 0.5, 8]))
        let mask = try Mask(shape: [2, 4], elements: [false, true, false, true, true, false, true, false])
        return (try CategoricalDistribution(logits: logits, mask: mask), logits)
    }

    @Test func neverSamplesAMaskedAction() throws {
        let (distribution, _) = try Self.distribution(on: Tape())
        var random = MazeRandom(seed: 11)
        var counts = [[Int]](repeating: [0, 0, 0, 0], count: 2)
        for _ in 0..<5_000 {
            let actions = try distribution.sample(using: &random).scalars
            for row in 0..<2 { counts[row][Int(actions[row])] += 1 }
        }
        #expect(counts[0][0] == 0 && counts[0][2] == 0)
        #expect(counts[1][1] == 0 && counts[1][3] == 0)
        // The allowed actions are drawn in proportion to their renormalised probabilities: e^0 : e^1.
        let share = Double(counts[0][3]) / 5_000
        #expect(abs(share - 2.718281828 / 3.718281828) < 0.03)
    }

    @Test func maskedActionsHaveProbabilityExactlyZero() throws {
        let (distribution, _) = try Self.distribution(on: Tape())
        let probabilities = try distribution.logProbabilities.exp().value.scalars
        #expect(probabilities[0] == 0 && probabilities[2] == 0 && probabilities[5] == 0 && probabilities[7] == 0)
        #expect(abs(probabilities[1] + probabilities[3] - 1) < 1e-6)
        #expect(try distribution.mode().scalars == [3, 2])
    }

    @Test func gradientsStayFiniteAndSkipMaskedLogits() throws {
        let tape = Tape()
        let (distribution, logits) = try Self.distribution(on: tape)
        let actions = try Tensor(shape: [2, 1], scalars: [1, 2])
        let loss = try (distribution.logProb(actions) + distribution.entropy()).sum()
        #expect(loss.value.scalars.allSatisfy { $0.isFinite })
        try tape.backward(from: loss)
        let gradient = try #require(try tape.gradient(of: logits)).scalars
        #expect(gradient.allSatisfy { $0.isFinite })
        #expect(gradient[0] == 0 && gradient[2] == 0 && gradient[5] == 0 && gradient[7] == 0)
        #expect(gradient[1] != 0)
    }

    @Test(arguments: [Float.nan, -1, 4, 1e30, 1.5])
    func anActionThatIsNotAnIndexIsAnError(action: Float) throws {
        let (distribution, _) = try Self.distribution(on: Tape())
        #expect(throws: PerceptionError.self) {
            try distribution.logProb(Tensor(shape: [2, 1], scalars: [1, action]))
        }
    }

    @Test func aRowWithoutAllowedActionsIsAnError() throws {
        let tape = Tape()
        let logits = tape.constant(try Tensor(shape: [1, 2], scalars: [0, 0]))
        let distribution = try CategoricalDistribution(
            logits: logits, mask: Mask(shape: [1, 2], elements: [false, false]))
        var random = MazeRandom(seed: 1)
        #expect(throws: PerceptionError.self) { try distribution.sample(using: &random) }
    }
}
