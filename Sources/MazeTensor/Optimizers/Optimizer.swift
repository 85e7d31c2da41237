/// Updates parameters from their gradients, keeping per-parameter state (momenta, moment estimates).
public protocol Optimizer: Sendable {
    /// Applies one update; every parameter needs a gradient of the same shape.
    mutating func update(_ parameters: inout ParameterStore, gradients: ParameterStore) throws(TensorError)
    /// Everything needed to resume: the step count and the per-parameter slots.
    var state: OptimizerState { get }
    /// Resumes from a saved state.
    mutating func restore(_ state: OptimizerState)
}

/// The saveable part of an optimizer: its step count and named slot tensors (slot name → parameter name
/// → tensor, with PyTorch's slot names such as `exp_avg`). `Codable`; slots can also be written as
/// safetensors through `ParameterStore`.
public struct OptimizerState: Sendable, Equatable, Codable {
    /// Updates applied so far.
    public var step: Int
    /// Per-parameter tensors by slot name, e.g. `slots["exp_avg"]["policy.0.weight"]`.
    public var slots: [String: ParameterStore]

    /// A state as saved by an optimizer; the default is that of a fresh optimizer.
    public init(step: Int = 0, slots: [String: ParameterStore] = [:]) {
        self.step = step
        self.slots = slots
    }

    /// Makes this state equal to `source`, copying its slots into the storage already held (see
    /// ``ParameterStore/overwrite(with:)``).
    public mutating func overwrite(with source: OptimizerState) {
        step = source.step
        for name in slots.keys where source.slots[name] == nil { slots[name] = nil }
        for (name, store) in source.slots { slots[name, default: ParameterStore()].overwrite(with: store) }
    }

    /// Calls `body` for every parameter (in name order) with its writable scalars, its gradient and `state`.
    /// Everything is checked before anything is written: every gradient must exist and have its
    /// parameter's shape, and so must the slots of `state` (which may have been restored from a file).
    /// `state` is handed through rather than captured, so its slots are written in place, never copied.
    static func forEachParameter(
        _ parameters: inout ParameterStore, gradients: ParameterStore, state: inout OptimizerState,
        _ body: (
            _ name: String, _ shape: [Int], _ value: UnsafeMutableBufferPointer<Float>,
            _ gradient: UnsafeBufferPointer<Float>, _ state: inout OptimizerState
        ) -> Void
    ) throws(TensorError) {
        let names = parameters.names
        for name in names {
            let shape = try parameters.tensor(named: name).shape
            let gradient = try gradients.tensor(named: name)
            guard gradient.shape == shape else {
                throw .shapeMismatch(operation: "gradient of '\(name)'", shape, gradient.shape)
            }
            for (slot, store) in state.slots {
                if let existing = store[name], existing.shape != shape {
                    throw .shapeMismatch(operation: "optimizer slot '\(slot)' of '\(name)'", shape, existing.shape)
                }
            }
        }
        // Looked up again rather than collected above (an array per step): every name has a checked gradient.
        for name in names {
            guard let gradient = gradients[name] else { continue }
            let shape = gradient.shape
            gradient.withUnsafeScalars { g in
                parameters.withMutableScalars(of: name, shape: shape) { body(name, shape, $0, g, &state) }
            }
        }
    }

    /// The slot tensor `slot` of parameter `name`, zero-initialised on first use, for in-place update.
    mutating func withSlot<R>(
        _ slot: String, of name: String, shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> R
    ) -> R {
        slots[slot, default: ParameterStore()].withMutableScalars(of: name, shape: shape, body)
    }

    /// Two slots of the same parameter at once (Adam's first and second moments).
    mutating func withSlots<R>(
        _ first: String, _ second: String, of name: String, shape: [Int],
        _ body: (UnsafeMutableBufferPointer<Float>, UnsafeMutableBufferPointer<Float>) -> R
    ) -> R {
        // Moved out of the dictionary so that both can be written without copying either.
        var firstStore = slots.removeValue(forKey: first) ?? ParameterStore()
        defer { slots[first] = firstStore }
        return firstStore.withMutableScalars(of: name, shape: shape) { a in
            withSlot(second, of: name, shape: shape) { b in body(a, b) }
        }
    }
}
