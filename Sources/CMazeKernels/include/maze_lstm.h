#ifndef MAZE_LSTM_H
#define MAZE_LSTM_H

/// The element-wise passes of one LSTM step (MazeTensor's `lstmRecurrence`), in C so that the compiler may
/// vectorise them: with their six to ten buffers Swift's loops over unsafe pointers stayed mostly scalar (too
/// many possible overlaps to check at run time), while `restrict` here says they do not overlap.
/// Every operation is correctly rounded in the order written (no fused multiply-add), as the Swift code was.

/// tanh as a 13/6 rational approximation on [-7.9, 7.9] (beyond it tanh is ±1 in float); maximum absolute
/// error about 3e-7. Branch-free, so loops over it vectorise. MazeTensor's `FastMath.tanh` is this function.
static inline float maze_fast_tanh(float input) {
#pragma clang fp contract(off)
    const float bound = 7.90531110763549805f;
    float x = input < -bound ? -bound : input;
    x = x > bound ? bound : x;
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

/// One step's forward pass over `batch` rows of `width` units. `gates` ([batch, 4·width], torch's order i, f, g,
/// o) holds the pre-activations and is activated in place (σ over i, f, o; tanh over g); then
/// `cell = f·previous_cell + i·g`, `tanh_cell = tanh(cell)`, `hidden = o·tanh_cell` ([batch, width] each), and
/// each row's `[hidden | cell]` is also written at `output + row·output_stride`. No two buffers overlap.
void maze_lstm_step_forward(
    long batch, long width, float *gates, const float *previous_cell, float *cell, float *tanh_cell,
    float *hidden, float *output, long output_stride);

/// One step's backward pass over `batch` rows of `width` units, from the activated `gates`, the cell entering
/// the step `previous_cell`, `tanh_cell`, the step's output gradient `[dh | dc]` at `upstream +
/// row·upstream_stride` and the running gradients of the state leaving the step (`hidden_gradient`,
/// `cell_gradient`): writes the pre-activation gate gradients `gate_gradients` ([batch, 4·width]) and replaces
/// `cell_gradient` by that of the cell entering the step. No two buffers overlap.
void maze_lstm_step_backward(
    long batch, long width, const float *gates, const float *previous_cell, const float *tanh_cell,
    const float *upstream, long upstream_stride, const float *hidden_gradient, float *cell_gradient,
    float *gate_gradients);

#endif
