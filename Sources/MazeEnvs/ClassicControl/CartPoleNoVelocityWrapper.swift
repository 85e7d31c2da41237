import MazeCore

/// CartPole with its velocities hidden: of the observation `[x, x_dot, theta, theta_dot]` it keeps the cart
/// position and the pole angle, `[x, theta]`. The task becomes partially observable, so a policy must infer the
/// velocities from past observations: what a recurrent policy can and a feed-forward one cannot.
///
/// Config: `CartPoleNoVelocityWrapper: {}` in `wrappers` (or `wrappers=cartpole_no_velocity`). It reads the
/// `observation` entry, which must be CartPole's Box of four; the native port and the Gymnasium bridge both fit.
public final class CartPoleNoVelocityWrapper: ObservationTransformingWrapper {
    public let inner: any StructuredEnv
    /// The entry whose velocities are hidden.
    public static let observationKey = "observation"
    /// Indices kept: cart position and pole angle.
    public static let keptIndices = [0, 2]
    private let spaces: [StepKey: DictSpace]

    /// Wraps `env`, whose `observation` must be a Box of shape `[4]` in every sub-step.
    public init(_ env: any StructuredEnv) throws {
        inner = env
        spaces = try env.observationSpaces.mapValues { space in
            guard case .box(let box) = try space.require(Self.observationKey), box.shape == [4] else {
                throw MazeError.invalidConfiguration(
                    "CartPoleNoVelocityWrapper needs CartPole's observation (a Box of shape [4] under "
                        + "'\(Self.observationKey)'), got \(space[Self.observationKey].map { "\($0)" } ?? "none")")
            }
            return DictSpace(
                try space.map { entry -> (String, Space) in
                    guard entry.key == Self.observationKey else { return (entry.key, entry.space) }
                    let low = Self.keptIndices.map { box.low[$0] }
                    let high = Self.keptIndices.map { box.high[$0] }
                    return (entry.key, .box(try BoxSpace(low: low, high: high, shape: [2], dtype: box.dtype)))
                })
        }
    }

    public var observationSpaces: [StepKey: DictSpace] { spaces }

    public func transformObservation(_ observation: Observation) throws -> Observation {
        guard let values = observation[Self.observationKey], values.count == 4 else {
            throw MazeError.invalidConfiguration(
                "CartPoleNoVelocityWrapper: the observation has no '\(Self.observationKey)' entry of four values")
        }
        var result = observation
        result[Self.observationKey] = NDArray(floats: Self.keptIndices.map { values.float(at: $0) }, shape: [2])
        return result
    }
}
