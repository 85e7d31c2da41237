#include "maze_kernels.h"

// Fusing a*b + c would round differently from the Swift reference and PyTorch.
#pragma clang fp contract(off)

MAZE_VECTOR_CLONES
void maze_adam_apply(
    maze_adam_step step, float *restrict theta, const float *restrict gradient, float *restrict mean,
    float *restrict variance, long count) {
    // A plain loop over restrict pointers, which the compiler vectorises; __builtin_elementwise_sqrt is the
    // IEEE square root without errno, so it vectorises too (sqrtf would not).
    for (long index = 0; index < count; index++) {
        float g = gradient[index];
        float m = step.beta1 * mean[index] + (1 - step.beta1) * g;
        float v = step.beta2 * variance[index] + (1 - step.beta2) * g * g;
        float denominator = __builtin_elementwise_sqrt(v / step.correction2) + step.epsilon;
        theta[index] -= step.rate * (m / step.correction1) / denominator;
        mean[index] = m;
        variance[index] = v;
    }
}
