import Foundation
import MazeCore

/// MountainCarContinuous-v0: the mountain car with a continuous force in [-1, 1]; reaching position 0.45
/// earns 100, and every step costs 0.1·force² (of the force as sent, before clipping).
///
/// Gymnasium keeps this task's state in float32 after the first step (the state right after reset is
/// float64), and numpy then does the arithmetic in float32; ``stateIsSinglePrecision`` records which
/// case applies so that the trajectories match the reference bit for bit rather than drifting apart
/// over 999 steps.
struct MountainCarContinuous: ContinuousClassicControlDynamics {
    var position: Double
    var velocity: Double
    /// Whether the reference would hold the state in float32 (true after any step).
    var stateIsSinglePrecision: Bool

    static let minAction: Float = -1
    static let maxAction: Float = 1
    static let minPosition = -1.2
    static let maxPosition = 0.6
    static let maxSpeed = 0.07
    static let goalPosition = 0.45
    static let power = 0.0015

    static let gymID = "MountainCarContinuous-v0"
    static let actionBound: Float = maxAction
    static let stateLabels = ["position", "velocity"]
    static let maxEpisodeSteps = 999
    static let observationLow: [Float] = [Float(minPosition), Float(-maxSpeed)]
    static let observationHigh: [Float] = [Float(maxPosition), Float(maxSpeed)]

    init(position: Double, velocity: Double, stateIsSinglePrecision: Bool = false) {
        self.position = position
        self.velocity = velocity
        self.stateIsSinglePrecision = stateIsSinglePrecision
    }

    init(stateVector: [Double]) throws {
        let v = try Self.validated(stateVector, count: 2)
        self.init(position: v[0], velocity: v[1])
    }

    var stateVector: [Double] { [position, velocity] }

    static func randomStart(using generator: inout some RandomNumberGenerator) -> MountainCarContinuous {
        MountainCarContinuous(position: .random(in: -0.6..<(-0.4), using: &generator), velocity: 0)
    }

    mutating func step(_ force: Float) throws -> ClassicControlTransition {
        let terminated = stateIsSinglePrecision ? advance(Float.self, force: force) : advance(Double.self, force: force)
        stateIsSinglePrecision = true
        position = Double(Float(position))
        velocity = Double(Float(velocity))
        var reward = terminated ? 100.0 : 0.0
        reward -= Double(force) * Double(force) * 0.1
        return ClassicControlTransition(reward: reward, terminated: terminated)
    }

    /// The update in the precision `T` of the reference's state; the acceleration is float32 in both
    /// cases because numpy keeps `float32 * python float` in float32.
    private mutating func advance<T: BinaryFloatingPoint>(_: T.Type, force: Float) -> Bool {
        var p = T(position)
        var v = T(velocity)
        let slope = 0.0025 * cos(Double(3 * p))
        // An in-range float32 force keeps the acceleration in float32; Python's min/max substitute the
        // bound (a Python float) for an out-of-range force, which makes the acceleration float64.
        let acceleration =
            (Self.minAction...Self.maxAction).contains(force)
            ? Double(force * Float(Self.power) - Float(slope))
            : Double(min(max(force, Self.minAction), Self.maxAction)) * Self.power - slope
        v += T(acceleration)
        if v > T(Self.maxSpeed) { v = T(Self.maxSpeed) }
        if v < T(-Self.maxSpeed) { v = T(-Self.maxSpeed) }
        p += v
        if p > T(Self.maxPosition) { p = T(Self.maxPosition) }
        if p < T(Self.minPosition) { p = T(Self.minPosition) }
        if p == T(Self.minPosition), v < 0 { v = 0 }
        position = Double(p)
        velocity = Double(v)
        return p >= T(Self.goalPosition) && v >= 0
    }

    func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        buffer[0] = Float(position)
        buffer[1] = Float(velocity)
    }
}
