import Foundation
import MazeCore

/// MountainCar-v0: drive an underpowered car up the right hill by accelerating left, not at all, or
/// right (actions 0, 1, 2); -1 per step until the car reaches position 0.5, truncated after 200 steps.
public struct MountainCar: DiscreteClassicControlDynamics {
    public var position: Double
    public var velocity: Double

    static let minPosition = -1.2
    static let maxPosition = 0.6
    static let maxSpeed = 0.07
    static let goalPosition = 0.5
    static let force = 0.001
    static let gravity = 0.0025

    public static let gymID = "MountainCar-v0"
    public static let actionCount = 3
    public static let stateLabels = ["position", "velocity"]
    public static let maxEpisodeSteps = 200
    public static let observationLow: [Float] = [Float(minPosition), Float(-maxSpeed)]
    public static let observationHigh: [Float] = [Float(maxPosition), Float(maxSpeed)]

    public init(position: Double, velocity: Double) {
        self.position = position
        self.velocity = velocity
    }

    public init(stateVector: [Double]) throws {
        let v = try Self.validated(stateVector, count: 2)
        self.init(position: v[0], velocity: v[1])
    }

    public var stateVector: [Double] { [position, velocity] }

    public static func randomStart(using generator: inout some RandomNumberGenerator) -> MountainCar {
        MountainCar(position: .random(in: -0.6..<(-0.4), using: &generator), velocity: 0)
    }

    public mutating func step(_ action: Int) throws -> ClassicControlTransition {
        guard (0...2).contains(action) else { throw ClassicControlError.invalidAction(action) }
        velocity += Double(action - 1) * Self.force + cos(3 * position) * -Self.gravity
        velocity = min(max(velocity, -Self.maxSpeed), Self.maxSpeed)
        position += velocity
        position = min(max(position, Self.minPosition), Self.maxPosition)
        if position == Self.minPosition, velocity < 0 {
            velocity = 0
        }
        let terminated = position >= Self.goalPosition && velocity >= 0
        return ClassicControlTransition(reward: -1, terminated: terminated)
    }

    public func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        buffer[0] = Float(position)
        buffer[1] = Float(velocity)
    }
}
