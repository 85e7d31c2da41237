#include "maze_kernels.h"

// Fusing a*b + c would round differently from the Swift definitions these kernels replace.
#pragma clang fp contract(off)

/// FastMath.tanh of MazeTensor, operation for operation: clamped to ±7.905311…, then a 13/6 rational function.
/// The clamps are Swift's `min(max(x, lower), upper)` (`lower >= x ? lower : x`, then `upper < x ? upper : x`),
/// so a NaN stays NaN as it does there.
static inline float maze_tanh(float input) {
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

MAZE_VECTOR_CLONES
void maze_bias_activation(float *restrict output, const float *restrict bias, long rows, long columns, int activation) {
    for (long row = 0; row < rows; row++) {
        float *restrict line = output + row * columns;
        if (bias) {
            for (long column = 0; column < columns; column++) { line[column] += bias[column]; }
        }
        switch (activation) {
        case MAZE_ACTIVATION_TANH:
            for (long column = 0; column < columns; column++) { line[column] = maze_tanh(line[column]); }
            break;
        case MAZE_ACTIVATION_RELU:
            // Swift's max(x, 0): `0 >= x ? 0 : x`.
            for (long column = 0; column < columns; column++) { line[column] = 0 >= line[column] ? 0 : line[column]; }
            break;
        default: break;
        }
    }
}

MAZE_VECTOR_CLONES
void maze_activation_derivative(
    const float *restrict upstream, const float *restrict output, float *restrict gradient, long count,
    int activation) {
    switch (activation) {
    case MAZE_ACTIVATION_TANH:
        for (long index = 0; index < count; index++) {
            gradient[index] = upstream[index] * (1 - output[index] * output[index]);
        }
        break;
    case MAZE_ACTIVATION_RELU:
        for (long index = 0; index < count; index++) { gradient[index] = output[index] > 0 ? upstream[index] : 0; }
        break;
    default:
        for (long index = 0; index < count; index++) { gradient[index] = upstream[index]; }
        break;
    }
}

MAZE_VECTOR_CLONES
void maze_add_column_sums(float *restrict sums, const float *restrict matrix, long rows, long columns) {
    for (long row = 0; row < rows; row++) {
        const float *restrict line = matrix + row * columns;
        for (long column = 0; column < columns; column++) { sums[column] += line[column]; }
    }
}
