import CMazeKernels

/// Branch-free approximations that the compiler can vectorise, for the activations of hot loops.
enum FastMath {
    /// tanh as a 13/6 rational approximation on `[-7.9, 7.9]` (beyond it tanh is ±1 in Float32).
    /// Maximum absolute error is about 3·10⁻⁷ (checked against `Foundation.tanh` in the tests); unlike libm's
    /// `tanhf` it has no branches, so a loop over a buffer runs several lanes at a time. It is C's inline
    /// `maze_fast_tanh` (CMazeKernels), which the LSTM's C step kernels use too, so both compute the same bits.
    @inline(__always)
    static func tanh(_ input: Float) -> Float {
        maze_fast_tanh(input)
    }
}
