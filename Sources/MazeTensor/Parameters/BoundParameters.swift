/// A `ParameterStore` recorded on a tape: the variables a model reads, and afterwards their gradients
/// collected under the same names.
///
/// It holds the tape's node numbers, not the tensors: once the tape is reset nothing here keeps the parameters'
/// storage alive, so an optimizer updates them in place (no copy-on-write copy) even while this value lives on.
public struct BoundParameters {
    /// The tape the parameters are recorded on.
    public let tape: Tape
    /// The parameters' names in the store's order (ascending UTF-8 bytes): when bound from a store, its own array,
    /// so that binding on every training step copies nothing.
    private let names: [String]
    private let nodes: Nodes
    private let generation: Int

    /// The tape node of `names[i]`.
    private enum Nodes {
        /// `first + i`: a store's parameters are recorded one after another.
        case consecutive(first: Int)
        /// `nodes[i]`.
        case listed([Int])
    }

    init(tape: Tape, store: ParameterStore, tracksGradients: Bool = true) {
        self.tape = tape
        names = store.names
        var first = 0
        for (index, name) in names.enumerated() {
            guard let tensor = store[name] else { continue }
            let variable = tracksGradients ? tape.parameter(tensor) : tape.constant(tensor)
            if index == 0 { first = variable.id }
        }
        nodes = .consecutive(first: first)
        generation = tape.currentGeneration
    }

    /// Parameters already recorded on `tape` under their names (e.g. by a gradient check that perturbs them).
    public init(tape: Tape, variables: [String: Variable]) throws(TensorError) {
        for variable in variables.values { try tape.check(variable) }
        self.tape = tape
        let sorted = variables.sorted { ParameterStore.precedes($0.key, $1.key) }
        names = sorted.map(\.key)
        nodes = .listed(sorted.map(\.value.id))
        generation = tape.currentGeneration
    }

    /// The variable of parameter `name`, or `TensorError.missingParameter`; `foreignVariable` after a reset.
    public subscript(name: String) -> Variable {
        get throws(TensorError) {
            guard let index = index(of: name) else { throw .missingParameter(name) }
            return try tape.recorded(node: node(at: index), generation: generation)
        }
    }

    /// Gradients after `tape.backward`, under the parameters' names (zeros for unused parameters).
    public func gradients() throws(TensorError) -> ParameterStore {
        var store = ParameterStore()
        for index in names.indices {
            store[names[index]] = try tape.gradient(of: tape.recorded(node: node(at: index), generation: generation))
        }
        return store
    }

    /// Like ``gradients()``, but moved out of the tape (see ``Tape/takeGradient(of:)``): the store owns its
    /// buffers, so clipping scales them in place; give them back with ``Tape/recycle(_:)``, whose store this one
    /// reuses (a training step then allocates no store).
    public func takeGradients() throws(TensorError) -> ParameterStore {
        var store = tape.takeRecycledStore(names: names)
        for index in names.indices {
            store[names[index]] = try tape.takeGradient(
                of: tape.recorded(node: node(at: index), generation: generation))
        }
        return store
    }

    private func node(at index: Int) -> Int {
        switch nodes {
        case .consecutive(let first): first + index
        case .listed(let nodes): nodes[index]
        }
    }

    /// The position of `name` in `names`, by binary search in their order.
    private func index(of name: String) -> Int? {
        var (low, high) = (0, names.count)
        while low < high {
            let middle = (low + high) / 2
            if ParameterStore.precedes(names[middle], name) { low = middle + 1 } else { high = middle }
        }
        return low < names.count && names[low] == name ? low : nil
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
