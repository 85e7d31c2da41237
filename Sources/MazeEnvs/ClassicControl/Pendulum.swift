import Foundation
import MazeCore

/// Pendulum-v1: swing a pendulum up and keep it upright with a torque in [-2, 2].
///
/// The reward is the negative cost θ² + 0.1·θ̇² + 0.001·u² (θ normalised to [-π, π)); the task never
/// terminates and is truncated after 200 steps. The torque is float32 as in Gymnasium, and the terms
/// Gymnasium computes in float32 (`0.001 * u**2`, `3.0 * u`) are computed in float32 here too.
public struct Pendulum: ContinuousClassicControlDynamics {
    public var theta: Double
    public var thetaDot: Double

    static let maxSpeed = 8.0
    static let maxTorque: Float = 2.0
    static let dt = 0.05
    static let gravity = 10.0
    static let mass = 1.0
    static let length = 1.0

    public static let gymID = "Pendulum-v1"
    public static let actionBound: Float = maxTorque
    public static let stateLabels = ["theta", "theta_dot"]
    public static let maxEpisodeSteps = 200
    public static let observationHigh: [Float] = [1, 1, Float(maxSpeed)]
    public static let observationLow: [Float] = observationHigh.map { -$0 }

    public init(theta: Double, thetaDot: Double) {
        self.theta = theta
        self.thetaDot = thetaDot
    }

    public init(stateVector: [Double]) throws {
        let v = try Self.validated(stateVector, count: 2)
        self.init(theta: v[0], thetaDot: v[1])
    }

    public var stateVector: [Double] { [theta, thetaDot] }

    public static func randomStart(using generator: inout some RandomNumberGenerator) -> Pendulum {
        Pendulum(
            theta: .random(in: -Double.pi..<Double.pi, using: &generator),
            thetaDot: .random(in: -1..<1, using: &generator)
        )
    }

    /// Applies `torque` (clipped to ±2) for one step.
    public mutating func step(_ torque: Float) throws -> ClassicControlTransition {
        let u = min(max(torque, -Self.maxTorque), Self.maxTorque)
        let torqueCost = Float(0.001) * (u * u)
        let cost =
            Self.normalizedAngle(theta) * Self.normalizedAngle(theta) + 0.1 * (thetaDot * thetaDot)
            + Double(torqueCost)
        let torqueTerm = Float(3.0 / (Self.mass * Self.length * Self.length)) * u
        var newThetaDot =
            thetaDot
            + (3 * Self.gravity / (2 * Self.length) * sin(theta) + Double(torqueTerm)) * Self.dt
        newThetaDot = min(max(newThetaDot, -Self.maxSpeed), Self.maxSpeed)
        theta = theta + newThetaDot * Self.dt
        thetaDot = newThetaDot
        return ClassicControlTransition(reward: -cost, terminated: false)
    }

    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        buffer[0] = Float(cos(theta))
        buffer[1] = Float(sin(theta))
        buffer[2] = Float(thetaDot)
    }

    /// `((x + π) mod 2π) - π` with a floor modulo (the result of `mod` takes the divisor's sign, as numpy's `%`).
    static func normalizedAngle(_ x: Double) -> Double {
        var remainder = (x + Double.pi).truncatingRemainder(dividingBy: 2 * Double.pi)
        if remainder < 0 {
            remainder += 2 * Double.pi
        }
        return remainder - Double.pi
    }
}
