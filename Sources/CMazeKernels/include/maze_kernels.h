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

/// tanh as a 13/6 rational approximation on [-7.9, 7.9] (beyond it tanh is ±1 in float); maximum absolute error
/// about 3e-7. Branch-free, so loops over it vectorise. MazeTensor's `FastMath.tanh` is this function, and the fused
/// dense layer and the LSTM step kernels use it, so all compute the same bits. The clamps are Swift's
/// `min(max(x, lower), upper)`, so a NaN stays NaN.
static inline float maze_fast_tanh(float input) {
#pragma clang fp contract(off)
    const float bound = 7.90531110763549805f;
    float x = -bound >= input ? -bound : input;
    x = bound < x ? bound : x;
    float x2 = x * x;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 - 8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return x * p / q;
}

/// The activations of MazeTensor's `Activation`, by raw value in C.
enum { MAZE_ACTIVATION_IDENTITY = 0, MAZE_ACTIVATION_TANH = 1, MAZE_ACTIVATION_RELU = 2, MAZE_ACTIVATION_SELU = 3 };

/// SELU's constants (Klambauer et al. 2017, as torch.nn.SELU): `λ x` above 0, `λ α (eˣ − 1)` below.
#define MAZE_SELU_ALPHA 1.6732632423543772f
#define MAZE_SELU_SCALE 1.0507009873554805f

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
