/// Storage for the per-step mutable state of an environment or wrapper class, outside the class's
/// stored properties.
///
/// Swift checks exclusive access to class stored properties at run time, on every access the optimizer
/// cannot prove free of overlap (any opaque call inside a mutation defeats the proof), and on the
/// vector-env path those checks cost more than the CartPole physics. Keeping the state here, in a
/// `let` of the owning class, mutates it through a pointer instead. The owner must not hand out
/// overlapping mutable accesses to ``value`` (it never lends it across calls to other objects).
package struct StepStateCell<State>: ~Copyable {
    private let pointer: UnsafeMutablePointer<State>

    package init(_ initial: State) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: initial)
    }

    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }

    /// The state, read and mutated in place.
    package var value: State {
        unsafeAddress { UnsafePointer(pointer) }
        nonmutating unsafeMutableAddress { pointer }
    }
}
