import Foundation
import MazeCore

/// Acrobot-v1: swing the tip of a two-link chain above the bar by applying torque -1, 0 or +1
/// (actions 0, 1, 2) at the joint between the links.
///
/// Sutton and Barto's "book" dynamics integrated with one classic Runge-Kutta step of 0.2 s, angles
/// wrapped to [-π, π] and velocities bounded afterwards; -1 per step until the tip is above the bar.
public struct Acrobot: DiscreteClassicControlDynamics {
    public var theta1: Double
    public var theta2: Double
    public var dTheta1: Double
    public var dTheta2: Double

    static let dt = 0.2
    static let linkLength1 = 1.0
    static let linkMass1 = 1.0
    static let linkMass2 = 1.0
    static let linkCenterOfMass1 = 0.5
    static let linkCenterOfMass2 = 0.5
    static let linkMomentOfInertia = 1.0
    static let maxVelocity1 = 4 * Double.pi
    static let maxVelocity2 = 9 * Double.pi
    static let availableTorque: [Double] = [-1, 0, 1]

    public static let gymID = "Acrobot-v1"
    public static let actionCount = 3
    public static let stateLabels = ["theta1", "theta2", "theta1_dot", "theta2_dot"]
    public static let maxEpisodeSteps = 500
    public static let observationHigh: [Float] = [1, 1, 1, 1, Float(maxVelocity1), Float(maxVelocity2)]
    public static let observationLow: [Float] = observationHigh.map { -$0 }

    public init(theta1: Double, theta2: Double, dTheta1: Double, dTheta2: Double) {
        self.theta1 = theta1
        self.theta2 = theta2
        self.dTheta1 = dTheta1
        self.dTheta2 = dTheta2
    }

    public init(stateVector: [Double]) throws {
        let v = try Self.validated(stateVector, count: 4)
        self.init(theta1: v[0], theta2: v[1], dTheta1: v[2], dTheta2: v[3])
    }

    public var stateVector: [Double] { [theta1, theta2, dTheta1, dTheta2] }

    /// Gymnasium draws the start state in float64 and stores it as float32, so the values are rounded here too.
    public static func randomStart(using generator: inout some RandomNumberGenerator) -> Acrobot {
        func draw() -> Double { Double(Float(Double.random(in: -0.1..<0.1, using: &generator))) }
        return Acrobot(theta1: draw(), theta2: draw(), dTheta1: draw(), dTheta2: draw())
    }

    public mutating func step(_ action: Int) throws -> ClassicControlTransition {
        guard Self.availableTorque.indices.contains(action) else { throw ClassicControlError.invalidAction(action) }
        let torque = Self.availableTorque[action]
        let next = Self.rungeKuttaStep(from: SIMD4(theta1, theta2, dTheta1, dTheta2), torque: torque)
        theta1 = Self.wrap(next[0])
        theta2 = Self.wrap(next[1])
        dTheta1 = min(max(next[2], -Self.maxVelocity1), Self.maxVelocity1)
        dTheta2 = min(max(next[3], -Self.maxVelocity2), Self.maxVelocity2)
        let terminated = -cos(theta1) - cos(theta2 + theta1) > 1.0
        return ClassicControlTransition(reward: terminated ? 0 : -1, terminated: terminated)
    }

    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        buffer[0] = Float(cos(theta1))
        buffer[1] = Float(sin(theta1))
        buffer[2] = Float(cos(theta2))
        buffer[3] = Float(sin(theta2))
        buffer[4] = Float(dTheta1)
        buffer[5] = Float(dTheta2)
    }

    /// One step of classic RK4 over `dt` with the torque held constant (Gymnasium's `rk4` over `[0, dt]`).
    static func rungeKuttaStep(from y: SIMD4<Double>, torque: Double) -> SIMD4<Double> {
        let halfStep = dt / 2.0
        let k1 = derivatives(y, torque: torque)
        let k2 = derivatives(y + halfStep * k1, torque: torque)
        let k3 = derivatives(y + halfStep * k2, torque: torque)
        let k4 = derivatives(y + dt * k3, torque: torque)
        return y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    }

    /// The equations of motion from Sutton and Barto's book, in Gymnasium's order of operations.
    static func derivatives(_ s: SIMD4<Double>, torque a: Double) -> SIMD4<Double> {
        let m1 = linkMass1
        let m2 = linkMass2
        let l1 = linkLength1
        let lc1 = linkCenterOfMass1
        let lc2 = linkCenterOfMass2
        let i1 = linkMomentOfInertia
        let i2 = linkMomentOfInertia
        let g = 9.8
        let (theta1, theta2, dtheta1, dtheta2) = (s[0], s[1], s[2], s[3])
        let d1 = m1 * (lc1 * lc1) + m2 * ((l1 * l1) + (lc2 * lc2) + 2 * l1 * lc2 * cos(theta2)) + i1 + i2
        let d2 = m2 * ((lc2 * lc2) + l1 * lc2 * cos(theta2)) + i2
        let phi2 = m2 * lc2 * g * cos(theta1 + theta2 - Double.pi / 2.0)
        let phi1 =
            -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sin(theta2)
            - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin(theta2)
            + (m1 * lc1 + m2 * l1) * g * cos(theta1 - Double.pi / 2)
            + phi2
        let ddtheta2 =
            (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sin(theta2) - phi2)
            / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1)
        let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return SIMD4(dtheta1, dtheta2, ddtheta1, ddtheta2)
    }

    /// Wraps an angle into [-π, π] by whole turns, as Gymnasium's `wrap`.
    static func wrap(_ angle: Double) -> Double {
        var x = angle
        while x > Double.pi { x -= 2 * Double.pi }
        while x < -Double.pi { x += 2 * Double.pi }
        return x
    }
}
