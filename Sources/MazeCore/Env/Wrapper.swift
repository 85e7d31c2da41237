/// An environment that wraps another one and forwards everything it does not change.
///
/// Conformers override what they modify; the allocation-free buffer path is *not* forwarded by
/// default (it falls back to the dictionary path), so a wrapper that changes observations or rewards
/// can never be bypassed by it. Wrappers that want the fast path implement it explicitly.
public protocol Wrapper: StructuredEnv {
    /// The wrapped environment.
    var inner: any StructuredEnv { get }
}

extension Wrapper {
    public var observationSpaces: [StepKey: DictSpace] { inner.observationSpaces }
    public var actionSpaces: [StepKey: DictSpace] { inner.actionSpaces }
    public func reset() throws -> Observation { try inner.reset() }
    public func step(_ action: Action) throws -> StepResult { try inner.step(action) }
    public func seed(_ seed: UInt64) { inner.seed(seed) }
    public func close() { inner.close() }
    public var actorID: ActorID { inner.actorID }
    public func isActorDone() -> Bool { inner.isActorDone() }
    public var agentCounts: [StepKey: Int] { inner.agentCounts }
    public var events: EventContext { inner.events }
    public func calculateKPIs() -> [String: Double] { inner.calculateKPIs() }
    public func render() -> String? { inner.render() }
    public var actionMasks: [String: String] { inner.actionMasks }
    public var episodeStepLimit: Int? { inner.episodeStepLimit }
}
