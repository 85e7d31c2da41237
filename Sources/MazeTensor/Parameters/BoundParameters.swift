/// A `ParameterStore` recorded on a tape: the variables a model reads, and afterwards their gradients
/// collected under the same names.
///
/// It holds the tape's node numbers, not the tensors: once the tape is reset nothing here keeps the parameters'
/// storage alive, so an optimizer updates them in place (no copy-on-write copy) even while this value lives on.
public struct BoundParameters {
    /// The tape the parameters are recorded on.
    public let tape: Tape
    private let nodes: [String: Int]
    private let generation: Int

    init(tape: Tape, store: ParameterStore, tracksGradients: Bool = true) {
        self.tape = tape
        let names = store.names
        var nodes = [String: Int](minimumCapacity: names.count)
        for name in names {
            let variable = tracksGradients ? tape.parameter(store[name]!) : tape.constant(store[name]!)
            nodes[name] = variable.id
        }
        self.nodes = nodes
        generation = tape.currentGeneration
    }

    /// Parameters already recorded on `tape` under their names (e.g. by a gradient check that perturbs them).
    public init(tape: Tape, variables: [String: Variable]) throws(TensorError) {
        for variable in variables.values { try tape.check(variable) }
        self.tape = tape
        nodes = variables.mapValues(\.id)
        generation = tape.currentGeneration
    }

    /// The variable of parameter `name`, or `TensorError.missingParameter`; `foreignVariable` after a reset.
    public subscript(name: String) -> Variable {
        get throws(TensorError) {
            guard let node = nodes[name] else { throw .missingParameter(name) }
            return try tape.recorded(node: node, generation: generation)
        }
    }

    /// Gradients after `tape.backward`, under the parameters' names (zeros for unused parameters).
    public func gradients() throws(TensorError) -> ParameterStore {
        var store = ParameterStore()
        for name in nodes.keys {
            store[name] = try tape.gradient(of: self[name])
        }
        return store
    }

    /// Like ``gradients()``, but moved out of the tape (see ``Tape/takeGradient(of:)``): the store owns its
    /// buffers, so clipping scales them in place; give them back with ``Tape/recycle(_:)``.
    public func takeGradients() throws(TensorError) -> ParameterStore {
        // Collected first and stored at once, so the store orders its names once.
        var gradients = [String: Tensor](minimumCapacity: nodes.count)
        for name in nodes.keys {
            gradients[name] = try tape.takeGradient(of: self[name])
        }
        return ParameterStore(gradients)
    }
}

extension Tape {
    /// Records every tensor of `store` as a parameter of this tape.
    public func bind(_ store: ParameterStore) -> BoundParameters {
        BoundParameters(tape: self, store: store)
    }

    /// Records every tensor of `store` as a constant: the no-gradient forward path of a model written
    /// once against `BoundParameters` (nothing is recorded for backward).
    public func bindConstants(_ store: ParameterStore) -> BoundParameters {
        BoundParameters(tape: self, store: store, tracksGradients: false)
    }
}
