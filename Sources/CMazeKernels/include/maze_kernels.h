#ifndef MAZE_KERNELS_H
#define MAZE_KERNELS_H

/// Element-wise kernels MazeTensor needs vectorised where Swift cannot vectorise them: on Linux, Swift's
/// `Float.squareRoot()` (scalar or SIMD) keeps C's errno semantics and becomes a `sqrtf` call per lane, while
/// the vector square root here is one `sqrtps` per four lanes (SSE2, the x86-64 baseline) or per eight (AVX).

/// Adam's constants for one step: the learning rate, both decays, their bias corrections `1 - beta^t`, and epsilon.
typedef struct {
    float rate, beta1, beta2, correction1, correction2, epsilon;
} maze_adam_step;

/// `m = b1*m + (1-b1)*g`, `v = b2*v + (1-b2)*g*g`, `theta -= rate*(m/c1) / (sqrt(v/c2) + eps)` for `count`
/// elements, with every operation correctly rounded in that order (no fused multiply-add), as `torch.optim.Adam`.
/// The four buffers must not overlap.
void maze_adam_apply(
    maze_adam_step step, float *theta, const float *gradient, float *mean, float *variance, long count);

#endif
