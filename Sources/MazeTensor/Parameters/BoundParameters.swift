/// A `ParameterStore` recorded on a tape: the variables a model reads, and afterwards their gradients
/// collected under the same names.
public struct BoundParameters {
    /// The tape the parameters are recorded on.
    public let tape: Tape
    private let variables: [String: Variable]

    init(tape: Tape, store: ParameterStore, tracksGradients: Bool = true) {
        self.tape = tape
        var variables: [String: Variable] = [:]
        for name in store.names {
            variables[name] = tracksGradients ? tape.parameter(store[name]!) : tape.constant(store[name]!)
        }
        self.variables = variables
    }

    /// Parameters already recorded on `tape` under their names (e.g. by a gradient check that perturbs them).
    public init(tape: Tape, variables: [String: Variable]) throws(TensorError) {
        for variable in variables.values { try tape.check(variable) }
        self.tape = tape
        self.variables = variables
    }

    /// The variable of parameter `name`, or `TensorError.missingParameter`.
    public subscript(name: String) -> Variable {
        get throws(TensorError) {
            guard let variable = variables[name] else { throw .missingParameter(name) }
            return variable
        }
    }

    /// Gradients after `tape.backward`, under the parameters' names (zeros for unused parameters).
    public func gradients() throws(TensorError) -> ParameterStore {
        var store = ParameterStore()
        for (name, variable) in variables {
            store[name] = try tape.gradient(of: variable)
        }
        return store
    }

    /// Like ``gradients()``, but moved out of the tape (see ``Tape/takeGradient(of:)``): the store owns its
    /// buffers, so clipping scales them in place; give them back with ``Tape/recycle(_:)``.
    public func takeGradients() throws(TensorError) -> ParameterStore {
        var store = ParameterStore()
        for (name, variable) in variables {
            store[name] = try tape.takeGradient(of: variable)
        }
        return store
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
