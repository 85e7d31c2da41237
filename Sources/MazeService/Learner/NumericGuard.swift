import MazeWire

/// The learner's numeric guard: an update whose loss, gradient norms or resulting weights are not finite is
/// undone, and weights that are not finite are never published nor applied by an actor.
///
/// One bad batch that slips past the ingress checks (a finite but huge reward, say) would otherwise turn every
/// weight into NaN, broadcast them, and crash-loop every actor. The service checks wire tensors; the training
/// adapters add the checks of their parameters (`MazeDistributed`).
public enum NumericGuard {
    /// The name of the first wire tensor holding a NaN or an infinity, or `nil` if all are finite.
    static func nonFiniteTensor(in tensors: [String: WireTensor]) -> String? {
        tensors.keys.sorted().first { tensors[$0]?.isFinite != true }
    }
}

/// An update the algorithm skipped because it was not finite; the algorithm's state is as before it. The
/// service counts it (`maze_skipped_updates_total`) and trains on.
public struct NonFiniteUpdate: Error, Sendable, Equatable, CustomStringConvertible {
    public let detail: String

    public init(_ detail: String) { self.detail = detail }

    public var description: String { "update skipped: \(detail)" }
}
