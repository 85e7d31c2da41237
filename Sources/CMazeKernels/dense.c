#include "maze_kernels.h"

#include <math.h>

// Fusing a*b + c would round differently from the Swift definitions these kernels replace.
#pragma clang fp contract(off)

MAZE_VECTOR_CLONES
void maze_bias_activation(float *restrict output, const float *restrict bias, long rows, long columns, int activation) {
    for (long row = 0; row < rows; row++) {
        float *restrict line = output + row * columns;
        if (bias) {
            for (long column = 0; column < columns; column++) { line[column] += bias[column]; }
        }
        switch (activation) {
        case MAZE_ACTIVATION_TANH:
            for (long column = 0; column < columns; column++) { line[column] = maze_fast_tanh(line[column]); }
            break;
        case MAZE_ACTIVATION_RELU:
            // Swift's max(x, 0): `0 >= x ? 0 : x`.
            for (long column = 0; column < columns; column++) { line[column] = 0 >= line[column] ? 0 : line[column]; }
            break;
        case MAZE_ACTIVATION_SELU:
            for (long column = 0; column < columns; column++) {
                float x = line[column];
                line[column] = x > 0 ? MAZE_SELU_SCALE * x : MAZE_SELU_SCALE * MAZE_SELU_ALPHA * (expf(x) - 1);
            }
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
    case MAZE_ACTIVATION_SELU:
        // Below 0, f'(x) = λ α eˣ = f(x) + λ α.
        for (long index = 0; index < count; index++) {
            float slope = output[index] > 0 ? MAZE_SELU_SCALE : output[index] + MAZE_SELU_SCALE * MAZE_SELU_ALPHA;
            gradient[index] = upstream[index] * slope;
        }
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
