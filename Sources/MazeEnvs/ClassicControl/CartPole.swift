import Foundation
import MazeCore

/// CartPole-v1: balance a pole on a cart pushed left (action 0) or right (action 1) with a fixed force.
///
/// Euler integration with Gymnasium's constants and update order; the episode terminates when the cart
/// leaves ±2.4 or the pole tilts beyond ±12°, and every step (the terminating one included) earns 1.
public struct CartPole: DiscreteClassicControlDynamics {
    public var x: Double
    public var xDot: Double
    public var theta: Double
    public var thetaDot: Double

    @usableFromInline static let gravity = 9.8
    @usableFromInline static let massCart = 1.0
    @usableFromInline static let massPole = 0.1
    @usableFromInline static let totalMass = massPole + massCart
    /// Half the pole's length, as Gymnasium's `length`.
    @usableFromInline static let length = 0.5
    @usableFromInline static let poleMassLength = massPole * length
    @usableFromInline static let forceMagnitude = 10.0
    @usableFromInline static let tau = 0.02
    @usableFromInline static let thetaThreshold = 12 * 2 * Double.pi / 360
    @usableFromInline static let xThreshold = 2.4

    public static let gymID = "CartPole-v1"
    public static let actionCount = 2
    public static let stateLabels = ["x", "x_dot", "theta", "theta_dot"]
    public static let maxEpisodeSteps = 500
    public static let observationHigh: [Float] = [
        Float(xThreshold * 2), .infinity, Float(thetaThreshold * 2), .infinity,
    ]
    public static let observationLow: [Float] = observationHigh.map { -$0 }

    public init(x: Double, xDot: Double, theta: Double, thetaDot: Double) {
        self.x = x
        self.xDot = xDot
        self.theta = theta
        self.thetaDot = thetaDot
    }

    public init(stateVector: [Double]) throws {
        let v = try Self.validated(stateVector, count: 4)
        self.init(x: v[0], xDot: v[1], theta: v[2], thetaDot: v[3])
    }

    public var stateVector: [Double] { [x, xDot, theta, thetaDot] }

    public static func randomStart(using generator: inout some RandomNumberGenerator) -> CartPole {
        CartPole(
            x: .random(in: -0.05..<0.05, using: &generator),
            xDot: .random(in: -0.05..<0.05, using: &generator),
            theta: .random(in: -0.05..<0.05, using: &generator),
            thetaDot: .random(in: -0.05..<0.05, using: &generator)
        )
    }

    // Inlinable so that tight loops in other modules (benchmarks, vector envs over the bare physics)
    // compile the step into the loop, as a C compiler does within one translation unit.
    @inlinable
    public mutating func step(_ action: Int) throws -> ClassicControlTransition {
        guard action == 0 || action == 1 else { throw ClassicControlError.invalidAction(action) }
        let force = action == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let cosTheta = cos(theta)
        let sinTheta = sin(theta)
        let temp = (force + Self.poleMassLength * (thetaDot * thetaDot) * sinTheta) / Self.totalMass
        let thetaAcc =
            (Self.gravity * sinTheta - cosTheta * temp)
            / (Self.length * (4.0 / 3.0 - Self.massPole * (cosTheta * cosTheta) / Self.totalMass))
        let xAcc = temp - Self.poleMassLength * thetaAcc * cosTheta / Self.totalMass
        x = x + Self.tau * xDot
        xDot = xDot + Self.tau * xAcc
        theta = theta + Self.tau * thetaDot
        thetaDot = thetaDot + Self.tau * thetaAcc
        let terminated =
            x < -Self.xThreshold || x > Self.xThreshold
            || theta < -Self.thetaThreshold || theta > Self.thetaThreshold
        return ClassicControlTransition(reward: 1, terminated: terminated)
    }

    @inlinable
    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        buffer[0] = Float(x)
        buffer[1] = Float(xDot)
        buffer[2] = Float(theta)
        buffer[3] = Float(thetaDot)
    }
}
