import MazeTensor

/// The policy's parameters of an actor-critic model as one flat vector `θ`, in ``ParameterStore`` order: what
/// Evolution Strategies perturbs and updates. Critic parameters (a model may carry a critic ES does not train)
/// stay untouched.
struct PolicyParameters {
    /// The policy's parameter names, in store order.
    let names: [String]

    init(of model: some ActorCritic) {
        names = model.parameters.names.filter { !model.isCriticParameter($0) }
    }

    /// The policy's tensors alone.
    func store(of model: some ActorCritic) throws -> ParameterStore {
        var store = ParameterStore()
        for name in names { store[name] = try model.parameters.tensor(named: name) }
        return store
    }

    /// `θ`.
    func flat(of model: some ActorCritic) throws -> [Float] {
        try store(of: model).flattened()
    }

    /// Writes the policy's tensors of `store` into `model`.
    func assign(_ store: ParameterStore, to model: inout some ActorCritic) throws {
        for name in names { model.parameters[name] = try store.tensor(named: name) }
    }

    /// Writes `θ` into `model`.
    func assign(flat: [Float], to model: inout some ActorCritic) throws {
        var store = try store(of: model)
        try store.assignFlattened(flat)
        try assign(store, to: &model)
    }
}
