import MazeService
import MazeTrain
import MazeWire

/// The results of antithetic pairs an ES actor evaluated, as the `TrajectoryBatch` it pushes (docs/PROTOCOL.md
/// 4.1.3): `steps` T = 2 and `envs` B = P, the pairs. Column `b` is pair `b`; row 0 is its episode with `θ + σεᵦ`,
/// row 1 its episode with `θ − σεᵦ`.
///
/// - `actions.noise_index` `i8 [2, P]`: the pair's start index `kᵦ` into the shared noise table, in both rows;
/// - `rewards` `f4 [2, P]`: each episode's return; `episodes[t · P + b]` carries the same return in double
///   precision (what the learner ranks) and the episode's length in env steps;
/// - `terminated` / `truncated` `b1 [2, P]`: how each episode ended; `behaviour_log_probs` `f4 [2, P]`: zeros
///   (ES acts deterministically); no observations.
///
/// The learner's `BatchSchema` checks shapes, dtypes and finite values at ingress; ``results(of:dimension:tableSize:)``
/// checks the rest (index range, rows, episodes) before the results reach an update.
enum ESResultBatch {
    static let noiseIndexKey = "noise_index"

    /// Why a batch's results are not used; each is counted by the learner under its name.
    struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// `noise_index`, `episodes` or `returns`.
        var reason: String
        var detail: String

        var description: String { "\(reason): \(detail)" }
    }

    /// What every result batch must look like at ingress.
    static let schema = BatchSchema(
        steps: 2, observations: [:], actions: [noiseIndexKey: BatchSchema.Feature(dtype: .int64, shape: [])],
        actionColumns: [:])

    /// The batch of `rollouts`' pairs, stamped with `identity`.
    static func batch(_ rollouts: ESRollouts.Batch, _ identity: RolloutIdentity) throws -> TrajectoryBatch {
        let pairs = rollouts.results.count
        let shape = [2, pairs]
        let returns = rollouts.results.map(\.positive) + rollouts.results.map(\.negative)
        // Episodes in row-major [t, b] order: every pair's positive episode, then every pair's negative one.
        let order = (0..<pairs).map { 2 * $0 } + (0..<pairs).map { 2 * $0 + 1 }
        let terminated = order.map { rollouts.terminated[$0] }
        let indices = rollouts.results.map { Int64($0.noiseIndex) }
        return try TrajectoryBatch(
            experimentID: identity.experimentID, actorID: identity.actorID, policyVersion: identity.policyVersion,
            steps: 2, envs: pairs, observations: [:],
            actions: [noiseIndexKey: WireTensor(shape: shape, values: indices + indices)],
            rewards: WireTensor(shape: shape, values: returns.map { Float($0) }),
            terminated: WireTensor(shape: shape, bools: terminated),
            truncated: WireTensor(shape: shape, bools: terminated.map { !$0 }),
            behaviourLogProbs: WireTensor(shape: shape, values: [Float](repeating: 0, count: 2 * pairs)),
            episodes: zip(returns, order).map {
                EpisodeSummary(episodeReturn: $0, length: rollouts.episodeLengths[$1])
            })
    }

    /// The pair results of `batch` for a policy of `dimension` parameters and a noise table of `tableSize` floats,
    /// with the env steps they took; a ``Problem`` when an index does not fit the table, the rows disagree, or the
    /// episodes do not match the columns (count, returns, lengths).
    static func results(of batch: TrajectoryBatch, dimension: Int, tableSize: Int) throws(Problem) -> (
        pairs: [EvolutionStrategies.PairResult], envSteps: Int
    ) {
        let pairs = batch.envs
        guard batch.steps == 2, let tensor = batch.actions[noiseIndexKey],
            let indices = try? tensor.values(as: Int64.self), indices.count == 2 * pairs
        else { throw Problem(reason: "noise_index", detail: "actions.\(noiseIndexKey) is not i8 [2, \(pairs)]") }
        let largest = Int64(tableSize - dimension)
        for b in 0..<pairs {
            guard indices[b] == indices[pairs + b] else {
                throw Problem(
                    reason: "noise_index", detail: "pair \(b) has indices \(indices[b]) and \(indices[pairs + b])")
            }
            guard (0...largest).contains(indices[b]) else {
                throw Problem(
                    reason: "noise_index",
                    detail: "pair \(b)'s index \(indices[b]) is outside 0...\(largest) (table \(tableSize), policy "
                        + "\(dimension))")
            }
        }
        guard batch.episodes.count == 2 * pairs else {
            throw Problem(reason: "episodes", detail: "\(batch.episodes.count) episodes for \(pairs) pairs")
        }
        guard let rewards = try? batch.rewards.values(as: Float.self) else {
            throw Problem(reason: "returns", detail: "rewards are not f4")
        }
        for (index, episode) in batch.episodes.enumerated() {
            guard episode.episodeReturn.isFinite, Float(episode.episodeReturn) == rewards[index] else {
                throw Problem(
                    reason: "returns",
                    detail: "episodes[\(index)] returned \(episode.episodeReturn), rewards say \(rewards[index])")
            }
            guard episode.length >= 1 else {
                throw Problem(reason: "episodes", detail: "episodes[\(index)] has length \(episode.length)")
            }
        }
        let results = (0..<pairs).map { b in
            EvolutionStrategies.PairResult(
                noiseIndex: Int(indices[b]), positive: batch.episodes[b].episodeReturn,
                negative: batch.episodes[pairs + b].episodeReturn)
        }
        return (results, envSteps(of: batch))
    }

    /// The env steps of a result batch's episodes: the sum of their lengths. Lengths are bounded by the decoder's
    /// limits; the sum saturates rather than traps all the same.
    static func envSteps(of batch: TrajectoryBatch) -> Int {
        batch.episodes.reduce(0) { total, episode in
            let (sum, overflow) = total.addingReportingOverflow(max(episode.length, 0))
            return overflow ? Int.max : sum
        }
    }
}
