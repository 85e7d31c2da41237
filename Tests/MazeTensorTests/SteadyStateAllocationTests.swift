import MazeTestSupport
import Testing

@testable import MazeTensor

/// A kept tape replays a pass it has seen without touching the heap: its nodes are fixed records in arrays whose
/// capacity survives `reset()`, backward steps capture nothing, scalar constants, saved offsets and result shapes
/// come from what the previous pass left, and values and gradients from its buffer pool. Counted with the test
/// thread's own `malloc` calls (`ThreadAllocations`: glibc, optimized builds; tools/test.sh runs this suite in
/// release).
@Suite struct SteadyStateAllocationTests {
    @Test(.enabled(if: ThreadAllocations.areCounted, "counted in optimized builds on glibc only"))
    func aRepeatedPassAllocatesNothing() throws {
        let pass = try ActorCriticPass()
        let tape = Tape()
        let first = try pass.run(on: tape)
        let second = try pass.run(on: tape)
        let (calls, third) = try ThreadAllocations.count { try pass.run(on: tape) }
        #expect(calls == 0, "heap allocations in a repeated pass")
        #expect(first == second && second == third, "the same loss and gradients every time")
        #expect(first.gradientNorm > 0)
    }

    @Test func theTapeKeepsItsNodeStorageAcrossResets() throws {
        let pass = try ActorCriticPass()
        let tape = Tape()
        _ = try pass.run(on: tape)
        let capacity = tape.nodeCapacity
        #expect(capacity > 0)
        for _ in 0..<3 { _ = try pass.run(on: tape) }
        #expect(tape.nodeCapacity == capacity)
    }

    /// A PPO-style minibatch on a two-layer policy and a critic head, built from the tape's operations directly: the
    /// clipped surrogate, the critic's squared error and the entropy bonus, with mixed scalar constants.
    private struct ActorCriticPass {
        let weights: [Tensor]
        let input: Tensor
        let actions: IndexTensor
        let oldLogProbs: Tensor
        let advantages: Tensor
        let targets: Tensor

        init() throws {
            var generator = SeededGenerator(seed: 5)
            func random(_ shape: [Int]) throws -> Tensor {
                try Tensor(
                    shape: shape,
                    scalars: (0..<Shape.count(shape)).map { _ in Float.random(in: -0.5...0.5, using: &generator) })
            }
            weights = [
                try random([8, 3]), try random([8]), try random([2, 8]), try random([2]), try random([1, 8]),
                try random([1]),
            ]
            input = try random([4, 3])
            actions = try IndexTensor(shape: [4, 1], elements: [0, 1, 1, 0])
            oldLogProbs = try Tensor(shape: [4, 1], scalars: [-0.7, -0.6, -0.8, -0.7])
            advantages = try Tensor(shape: [4, 1], scalars: [1, -0.5, 2, -1])
            targets = try random([4, 1])
        }

        struct Result: Equatable {
            var loss: Float
            var gradientNorm: Float
        }

        /// One forward and backward pass on `tape` (reset first), and what it computed.
        func run(on tape: Tape) throws -> Result {
            tape.reset()
            // One variable at a time: an array of them would be an allocation of the test's own.
            let (weight0, bias0) = (tape.parameter(weights[0]), tape.parameter(weights[1]))
            let (weight1, bias1) = (tape.parameter(weights[2]), tape.parameter(weights[3]))
            let (criticWeight, criticBias) = (tape.parameter(weights[4]), tape.parameter(weights[5]))
            let observations = tape.constant(input)
            let hidden = try observations.linear(weight: weight0, bias: bias0, activation: .tanh)
            let logProbabilities = try hidden.linear(weight: weight1, bias: bias1).logSoftmax()
            let ratio = try (logProbabilities.gather(alongAxis: 1, indices: actions) - tape.constant(oldLogProbs)).exp()
            let advantage = tape.constant(advantages)
            let surrogate = try (ratio * advantage).minimum(ratio.clamped(to: 0.8...1.2) * advantage).mean().negated()
            let entropy = try -(logProbabilities.exp() * logProbabilities).sum(alongAxis: 1).mean()
            let values = try hidden.linear(weight: criticWeight, bias: criticBias)
            let valueLoss = try (tape.constant(targets) - values).squared().mean()
            let loss = try surrogate + 0.5 * valueLoss - 0.01 * entropy
            try tape.backward(from: loss)
            var squares: Float = 0
            func add(_ parameter: Variable) throws {
                try tape.gradient(of: parameter)?.withUnsafeScalars { for g in $0 { squares += g * g } }
            }
            try add(weight0)
            try add(bias0)
            try add(weight1)
            try add(bias1)
            try add(criticWeight)
            try add(criticBias)
            return Result(loss: loss.value.scalars[0], gradientNorm: squares.squareRoot())
        }
    }
}
