/// An environment simulated elsewhere (e.g. a Gymnasium env in a Python server process) whose steps are
/// cheaper in batches: the vector environments stage every such env's action and start all staged steps
/// with one ``BatchStepGroup/stepStaged()`` call per group before stepping the envs one by one, so a
/// server answers one message for all of its envs instead of one per env.
///
/// The envs then step through their wrapper stacks as usual; the innermost `step` finds its result
/// ready. Staging needs the action that reaches the env to be the vector env's action row, so a vector
/// env stages only where the wrapper stack keeps the action space unchanged, and a staged env refuses a
/// step whose action differs from the staged one (a wrapper changed it).
///
/// Threading: staging and stepping happen on the thread that steps the vector env.
public protocol BatchSteppedEnv: StructuredEnv {
    /// The group this env is stepped with; envs of one group share it (by identity).
    var stepGroup: any BatchStepGroup { get }
    /// Records `flatAction` (a row in ``StructuredEnv/actionSpace`` layout) for the group's next batched step.
    func stage(flatAction: UnsafeBufferPointer<Float>)
}

/// Steps the staged envs of a group of ``BatchSteppedEnv``s together.
public protocol BatchStepGroup: AnyObject {
    /// Starts (and completes) the steps of every env staged since the last call.
    func stepStaged() throws
}

extension StructuredEnv {
    /// The innermost env if it is a ``BatchSteppedEnv`` and every wrapper above it keeps its action space,
    /// so that this env's action rows reach it unchanged; otherwise `nil`.
    public var batchSteppedCore: (any BatchSteppedEnv)? {
        var current: any StructuredEnv = self
        while let wrapper = current as? any Wrapper {
            guard wrapper.actionSpaces == wrapper.inner.actionSpaces else { return nil }
            current = wrapper.inner
        }
        return current as? any BatchSteppedEnv
    }
}

/// The batch-stepped envs among a batch of envs, by index: what a vector env or an env batch stages and starts
/// before stepping its envs one by one.
package struct BatchSteppedMembers {
    private let members: [(index: Int, env: any BatchSteppedEnv)]

    /// The envs of `envs` whose ``StructuredEnv/batchSteppedCore`` exists.
    package init(_ envs: [any StructuredEnv]) {
        members = envs.enumerated().compactMap { index, env in env.batchSteppedCore.map { (index, $0) } }
    }

    /// Stages each member's row of `actions` (`width` floats per env, envs in batch order), except those `skipping`
    /// says to leave out, and starts their steps with one ``BatchStepGroup/stepStaged()`` call per group; a no-op
    /// when no env is batch-stepped.
    package func step(
        actions: UnsafeBufferPointer<Float>, width: Int, skipping: (Int) -> Bool = { _ in false }
    ) throws {
        guard !members.isEmpty else { return }
        var groups: [ObjectIdentifier: any BatchStepGroup] = [:]
        for (index, env) in members where !skipping(index) {
            env.stage(flatAction: UnsafeBufferPointer(rebasing: actions[index * width..<(index + 1) * width]))
            groups[ObjectIdentifier(env.stepGroup)] = env.stepGroup
        }
        for group in groups.values { try group.stepStaged() }
    }
}
