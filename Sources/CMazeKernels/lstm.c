#include "maze_lstm.h"

// The Swift code these loops replaced did not fuse a*b + c; neither do they, so results keep their bits.
#pragma clang fp contract(off)

/// σ(x) = (1 + tanh(x / 2)) / 2 through the vectorisable tanh.
static inline float maze_sigmoid(float x) { return 0.5f + 0.5f * maze_fast_tanh(0.5f * x); }

// One row per call: `restrict` is honoured on parameters (also once inlined), so the loops vectorise without
// run-time overlap checks. Always inlined, so that each clone of the step functions compiles them for its target.
static inline __attribute__((always_inline)) void forward_row(
    long width, float *restrict i, float *restrict f, float *restrict g, float *restrict o,
    const float *restrict previous, float *restrict c, float *restrict t, float *restrict h,
    float *restrict out_h, float *restrict out_c) {
    for (long unit = 0; unit < width; unit++) {
        float input = maze_sigmoid(i[unit]);
        float forget = maze_sigmoid(f[unit]);
        float candidate = maze_fast_tanh(g[unit]);
        float out = maze_sigmoid(o[unit]);
        float next = forget * previous[unit] + input * candidate;
        float squashed = maze_fast_tanh(next);
        float state = out * squashed;
        i[unit] = input;
        f[unit] = forget;
        g[unit] = candidate;
        o[unit] = out;
        c[unit] = next;
        t[unit] = squashed;
        h[unit] = state;
        out_h[unit] = state;
        out_c[unit] = next;
    }
}

MAZE_VECTOR_CLONES void maze_lstm_step_forward(
    long batch, long width, float *gates, const float *previous_cell, float *cell, float *tanh_cell, float *hidden,
    float *output, long output_stride) {
    for (long row = 0; row < batch; row++) {
        float *i = gates + row * 4 * width;
        float *out = output + row * output_stride;
        forward_row(
            width, i, i + width, i + 2 * width, i + 3 * width, previous_cell + row * width, cell + row * width,
            tanh_cell + row * width, hidden + row * width, out, out + width);
    }
}

static inline __attribute__((always_inline)) void backward_row(
    long width, const float *restrict i, const float *restrict f, const float *restrict g, const float *restrict o,
    const float *restrict previous, const float *restrict t, const float *restrict dh_out,
    const float *restrict dc_out, const float *restrict dh, float *restrict dc, float *restrict di,
    float *restrict df, float *restrict dg, float *restrict d_out) {
    for (long unit = 0; unit < width; unit++) {
        float d_hidden = dh[unit] + dh_out[unit];
        float squashed = t[unit];
        float d_cell = dc[unit] + dc_out[unit] + d_hidden * o[unit] * (1 - squashed * squashed);
        di[unit] = d_cell * g[unit] * i[unit] * (1 - i[unit]);
        df[unit] = d_cell * previous[unit] * f[unit] * (1 - f[unit]);
        dg[unit] = d_cell * i[unit] * (1 - g[unit] * g[unit]);
        d_out[unit] = d_hidden * squashed * o[unit] * (1 - o[unit]);
        dc[unit] = d_cell * f[unit];
    }
}

MAZE_VECTOR_CLONES void maze_lstm_step_backward(
    long batch, long width, const float *gates, const float *previous_cell, const float *tanh_cell,
    const float *upstream, long upstream_stride, const float *hidden_gradient, float *cell_gradient,
    float *gate_gradients) {
    for (long row = 0; row < batch; row++) {
        const float *i = gates + row * 4 * width;
        const float *up = upstream + row * upstream_stride;
        float *d = gate_gradients + row * 4 * width;
        backward_row(
            width, i, i + width, i + 2 * width, i + 3 * width, previous_cell + row * width, tanh_cell + row * width,
            up, up + width, hidden_gradient + row * width, cell_gradient + row * width, d, d + width, d + 2 * width,
            d + 3 * width);
    }
}
