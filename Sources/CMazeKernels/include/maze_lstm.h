#ifndef MAZE_LSTM_H
#define MAZE_LSTM_H

#include "maze_kernels.h"

/// The element-wise passes of one LSTM step (MazeTensor's `lstmRecurrence`), in C so that the compiler may
/// vectorise them: with their six to ten buffers Swift's loops over unsafe pointers stayed mostly scalar (too
/// many possible overlaps to check at run time), while `restrict` here says they do not overlap.
/// Every operation is correctly rounded in the order written (no fused multiply-add), as the Swift code was.

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
