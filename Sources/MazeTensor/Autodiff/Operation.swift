/// What the backward step of one recorded operation needs besides the nodes' values: its inputs' node numbers
/// and a few sizes and numbers, stored inline in the tape so that recording an operation allocates nothing.
///
/// Which size or number means what is up to each operation (documented where it records one).
struct Operation {
    /// The node of the operation's result (set by the tape when it records it).
    var node = -1
    /// Node numbers of up to three inputs, `-1` where the operation has fewer.
    var inputs = (-1, -1, -1)
    /// Integer parameters (axis layouts, matrix sizes, kinds).
    var sizes = (0, 0, 0)
    /// Float parameters (a clamp's bounds).
    var numbers: (Float, Float) = (0, 0)

    /// No inputs: a leaf (parameter or constant), or an operation whose backward step captures its inputs.
    init() {}

    /// An operation on `first`, `second` and `third`, with its `sizes` and `numbers`.
    init(
        _ first: Variable, _ second: Variable? = nil, _ third: Variable? = nil, sizes: (Int, Int, Int) = (0, 0, 0),
        numbers: (Float, Float) = (0, 0)
    ) {
        inputs = (first.id, second?.id ?? -1, third?.id ?? -1)
        self.sizes = sizes
        self.numbers = numbers
    }

    /// The node of the first input.
    var first: Int { inputs.0 }
    /// The node of the second input (`-1` if none).
    var second: Int { inputs.1 }
    /// The node of the third input (`-1` if none).
    var third: Int { inputs.2 }
}
