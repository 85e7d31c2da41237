import Foundation
import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

@Suite struct SquashedGaussianTests {
    static func bounds() throws -> BoxBounds { try BoxBounds(low: [-2], high: [2]) }

    /// log p(a) by change of variables written out directly: the Gaussian density of u = atanh(a/2)
    /// times |du/da| = 1 / (2 (1 − tanh²u)).
    static func directLogDensity(action: Double, mean: Double, logStd: Double) -> Double {
        let y = action / 2
        let u = atanh(y)
        let std = exp(logStd)
        let gaussian = -0.5 * pow((u - mean) / std, 2) - logStd - 0.5 * log(2 * Double.pi)
        return gaussian - log(2 * (1 - y * y))
    }

    @Test(arguments: [(-1.9, 0.3, -0.5), (0.0, -0.2, 0.1), (1.2, 1.0, -1.0), (1.999, 0.5, 0.0)])
    func logProbIncludesTheTanhCorrection(action: Double, mean: Double, logStd: Double) throws {
        let tape = Tape()
        let parameters = tape.constant(try Tensor(shape: [1, 2], scalars: [Float(mean), Float(logStd)]))
        let distribution = try SquashedGaussianDistribution(parameters: parameters, bounds: Self.bounds())
        let logProb = try distribution.logProb(Tensor(shape: [1, 1], scalars: [Float(action)])).value.scalars[0]
        let expected = Self.directLogDensity(action: action, mean: mean, logStd: logStd)
        #expect(abs(Double(logProb) - expected) < 1e-4 * max(1, abs(expected)))
        // Without the correction the value would be the plain Gaussian density of u.
        let uncorrected = expected + log(2 * (1 - action * action / 4))
        #expect(abs(Double(logProb) - uncorrected) > 1e-3)
    }

    @Test func samplesStayInsideTheBoxAndFollowTheSquashedGaussian() throws {
        let tape = Tape()
        let parameters = tape.constant(try Tensor(shape: [1, 2], scalars: [0.5, -0.3]))
        let distribution = try SquashedGaussianDistribution(parameters: parameters, bounds: Self.bounds())
        var random = MazeRandom(seed: 5)
        var total = 0.0
        let draws = 4_000
        for _ in 0..<draws {
            let action = try distribution.sample(using: &random).scalars[0]
            #expect(action >= -2 && action <= 2)
            total += Double(action)
        }
        // E[2 tanh(u)], u ~ N(0.5, e^-0.3), by quadrature on a fine grid.
        let std = exp(-0.3)
        let grid = stride(from: -8.0, through: 8.0, by: 0.001)
        let expected = grid.reduce(0.0) { sum, z in
            sum + 2 * tanh(0.5 + std * z) * exp(-z * z / 2) / (2 * Double.pi).squareRoot() * 0.001
        }
        #expect(abs(total / Double(draws) - expected) < 0.05)
        #expect(try distribution.mode().scalars[0] == Float(2 * tanh(0.5)))
    }
}
