import Foundation

/// V-trace off-policy value targets and policy-gradient advantages (Espeholt et al. 2018, section 4):
///
///     ρ_t = min(ρ̄, π(a_t|x_t) / μ(a_t|x_t)),   c_t = min(c̄, π(a_t|x_t) / μ(a_t|x_t))
///     δ_t = ρ_t (r_t + γ V(x_{t+1}) − V(x_t))
///     v_t − V(x_t) = δ_t + γ c_t (v_{t+1} − V(x_{t+1}))
///     pg_advantage_t = min(ρ̄_pg, π/μ) (r_t + γ v_{t+1} − V(x_t))
///
/// Past the end of an episode nothing is carried: on truncation `v_{t+1}` is the bootstrap
/// `V(x_{t+1})` of the final observation, on termination the future is zero.
public enum VTrace {
    /// The clipping thresholds; `nil` disables a clip (Maze's `~`).
    public struct Thresholds: Sendable, Equatable {
        /// ρ̄: clips the importance weights of the value targets (`vtrace_clip_rho_threshold`).
        public var rho: Float?
        /// c̄: clips the trace-cutting weights ("truncated importance sampling" of the recursion).
        public var c: Float?
        /// ρ̄_pg: clips the importance weights of the policy gradient (`vtrace_clip_pg_rho_threshold`).
        public var pgRho: Float?

        /// The paper's and Maze's defaults are 1.0 for all three.
        public init(rho: Float? = 1, c: Float? = 1, pgRho: Float? = 1) {
            self.rho = rho
            self.c = c
            self.pgRho = pgRho
        }
    }

    /// `vs` (value targets) and `pgAdvantages` for every step, time-major like the inputs.
    /// `logRhos[t, b]` is `log π(a_t|x_t) − log μ(a_t|x_t)`, target over behaviour policy.
    public static func targets(
        _ inputs: BootstrapInputs, logRhos: [Float], gamma: Float, thresholds: Thresholds = Thresholds()
    ) throws(TrainError) -> (vs: [Float], pgAdvantages: [Float]) {
        let (steps, envs) = (inputs.stepCount, inputs.envCount)
        guard logRhos.count == steps * envs else {
            throw .shapeMismatch("logRhos has \(logRhos.count) elements, [\(steps), \(envs)] needs \(steps * envs)")
        }
        var vs = [Float](repeating: 0, count: steps * envs)
        var pgAdvantages = vs
        for env in 0..<envs {
            // v_{t+1} − V(x_{t+1}) of the step after the current one, within the same episode.
            var nextCorrection: Float = 0
            for step in stride(from: steps - 1, through: 0, by: -1) {
                let index = step * envs + env
                let ratio = logRhos[index].exp
                let rho = clip(ratio, thresholds.rho)
                let c = clip(ratio, thresholds.c)
                let pgRho = clip(ratio, thresholds.pgRho)
                let continues = !inputs.episodeEnds(index)
                let nextValue = inputs.nextValues[index]
                let delta =
                    rho * (inputs.oneStepTarget(index, gamma: gamma, nextValue: nextValue) - inputs.values[index])
                let correction = delta + (continues ? gamma * c * nextCorrection : 0)
                vs[index] = inputs.values[index] + correction
                let nextVs = continues ? nextValue + nextCorrection : nextValue
                pgAdvantages[index] =
                    pgRho * (inputs.oneStepTarget(index, gamma: gamma, nextValue: nextVs) - inputs.values[index])
                nextCorrection = correction
            }
        }
        return (vs, pgAdvantages)
    }

    private static func clip(_ ratio: Float, _ threshold: Float?) -> Float {
        threshold.map { Swift.min($0, ratio) } ?? ratio
    }
}

extension Float {
    fileprivate var exp: Float { Float(Foundation.exp(Double(self))) }
}
