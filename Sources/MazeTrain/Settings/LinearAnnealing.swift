import MazeConfigTree

/// rl-zoo's `lin_<initial>` form of a setting (`algorithm.lr: lin_0.001`, `algorithm.clip_range: lin_0.2`): the
/// value falls linearly from `initial` to 0 over the training, as stable-baselines3's `linear_schedule` does with
/// its remaining progress. Maze's own configs give plain numbers, which stay constant.
///
/// The training's length is `n_epochs × epoch_length` updates; with `n_epochs: 0` (train until `patience` stops
/// it) there is no end to anneal towards, so the `lin_` form is refused there.
public struct LinearAnnealing: Sendable, Equatable {
    /// Updates from the first to the one at which the value reaches 0.
    public var updates: Int

    /// The share of the value that update `update` (counting from 0) uses: `1 − update / updates`, at least 0.
    public func remaining(atUpdate update: Int) -> Float {
        guard updates > 0 else { return 0 }
        return max(0, 1 - Float(update) / Float(updates))
    }

    static let prefix = "lin_"

    /// The number at `key` (`fallback` when absent), and whether it was given as `lin_<number>`; the number must
    /// lie in `range`. `refusal` says why a `lin_` value cannot be honoured here, if it cannot.
    static func read(
        _ section: ConfigSection, _ key: String, default fallback: Float, in range: ClosedRange<Float>,
        refusal: String?
    ) throws -> (value: Float, linear: Bool) {
        guard let present = section.nonNull(key), case .some(let text) = try? present.string() else {
            return (try section.float(key, default: fallback, in: range), false)
        }
        guard text.hasPrefix(prefix), let value = Float(text.dropFirst(prefix.count)) else {
            throw present.invalid("expected a number or rl-zoo's lin_<number> (linear to 0), got '\(text)'")
        }
        guard range.contains(value) else { throw present.invalid("must lie in \(range), got \(value)") }
        if let refusal { throw present.invalid("'\(text)' (linear annealing) \(refusal)") }
        return (value, true)
    }
}
