/// The recurrent state every env of a batch carries from one step to the next (rows of `width` floats), zero
/// at the start of an episode: kept by whoever steps the envs (the rollout collector, the evaluator's batch, an
/// actor worker's acting policy).
public struct RecurrentStates: Sendable {
    public init() {}

    /// `[envCount, width]`, row-major.
    public var values: [Float] = []
    public private(set) var width = 0

    /// Zero states for `envCount` envs of a model with `width` floats of state, unless they are already sized so.
    public mutating func prepare(width: Int, envCount: Int) {
        guard width != self.width || values.count != width * envCount else { return }
        self.width = width
        values = [Float](repeating: 0, count: width * envCount)
    }

    /// Zeroes the state of every env whose episode ended (`terminated` or `truncated`).
    public mutating func reset(terminated: [Bool], truncated: [Bool]) {
        guard width > 0 else { return }
        for env in terminated.indices where terminated[env] || truncated[env] {
            values.replaceSubrange(env * width..<(env + 1) * width, with: repeatElement(0, count: width))
        }
    }

    /// Forgets every state (the envs were reset).
    public mutating func clear() {
        values = []
        width = 0
    }
}
