#ifndef MAZE_KERNELS_H
#define MAZE_KERNELS_H

/// The element-wise loops of a training step, vectorised where Swift cannot vectorise them or not as wide: on Linux,
/// Swift's `Float.squareRoot()` (scalar or SIMD) keeps C's errno semantics and becomes a `sqrtf` call per lane, while
/// the vector square root here is one `sqrtps` per four lanes (SSE2, the x86-64 baseline) or per eight (AVX); and a
/// Swift build targets the baseline only.
///
/// Each kernel is compiled twice, for the x86-64 baseline (SSE2, four lanes) and for AVX2 (eight), and the loader
/// picks the one the CPU runs (an ifunc). Contraction stays off in both, so both give the same bits.
#if defined(__x86_64__) && defined(__linux__)
#define MAZE_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define MAZE_VECTOR_CLONES
#endif

/// The activations of MazeTensor's `Activation`, by raw value in C.
enum { MAZE_ACTIVATION_IDENTITY = 0, MAZE_ACTIVATION_TANH = 1, MAZE_ACTIVATION_RELU = 2 };

/// Adds `bias` (`columns` floats, or NULL) to every row of the `rows × columns` `output` and applies the activation
/// in place: the pass a fused dense layer makes over its gemm's result.
void maze_bias_activation(float *output, const float *bias, long rows, long columns, int activation);

/// `gradient = upstream · f'(x)` for `count` elements, written in terms of the activation's `output` (for tanh
/// `upstream · (1 − output²)`). `gradient` must not overlap the others.
void maze_activation_derivative(
    const float *upstream, const float *output, float *gradient, long count, int activation);

/// Adds the column sums of the `rows × columns` `matrix` into `sums`, row after row (a bias gradient).
void maze_add_column_sums(float *sums, const float *matrix, long rows, long columns);

/// Adam's constants for one step: the learning rate, both decays, their bias corrections `1 - beta^t`, and epsilon.
typedef struct {
    float rate, beta1, beta2, correction1, correction2, epsilon;
} maze_adam_step;

/// `m = b1*m + (1-b1)*g`, `v = b2*v + (1-b2)*g*g`, `theta -= rate*(m/c1) / (sqrt(v/c2) + eps)` for `count`
/// elements, with every operation correctly rounded in that order (no fused multiply-add), as `torch.optim.Adam`.
/// The four buffers must not overlap.
void maze_adam_apply(
    maze_adam_step step, float *theta, const float *gradient, float *mean, float *variance, long count);

/// The sum of the squares of `count` floats, each squared and added in double precision, in eight interleaved partial
/// sums (element `i` into sum `i % 8`, the sums added pairwise at the end): a gradient norm at vector speed, where
/// one running sum is a chain of dependent additions.
double maze_sum_of_squares(const float *values, long count);

#endif
