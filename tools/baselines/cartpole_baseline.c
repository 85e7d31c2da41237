/* CartPole-v1 physics in C (constants and update order as Gymnasium's classic_control/cartpole.py). */
#include "maze_baseline_cartpole.h"

#include <math.h>
#include <time.h>

static const double gravity = 9.8;
static const double mass_cart = 1.0;
static const double mass_pole = 0.1;
static const double half_length = 0.5;
static const double force_mag = 10.0;
static const double tau = 0.02;
static const double x_threshold = 2.4;
static const double theta_threshold = 12.0 * 2.0 * M_PI / 360.0;
static const int max_episode_steps = 500;

int maze_cartpole_step(maze_cartpole_state *s, int action, float observation[4]) {
    const double total_mass = mass_pole + mass_cart;
    const double polemass_length = mass_pole * half_length;
    const double force = action == 1 ? force_mag : -force_mag;
    const double costheta = cos(s->theta);
    const double sintheta = sin(s->theta);
    const double temp = (force + polemass_length * (s->theta_dot * s->theta_dot) * sintheta) / total_mass;
    const double thetaacc = (gravity * sintheta - costheta * temp)
        / (half_length * (4.0 / 3.0 - mass_pole * (costheta * costheta) / total_mass));
    const double xacc = temp - polemass_length * thetaacc * costheta / total_mass;
    s->x = s->x + tau * s->x_dot;
    s->x_dot = s->x_dot + tau * xacc;
    s->theta = s->theta + tau * s->theta_dot;
    s->theta_dot = s->theta_dot + tau * thetaacc;
    observation[0] = (float)s->x;
    observation[1] = (float)s->x_dot;
    observation[2] = (float)s->theta;
    observation[3] = (float)s->theta_dot;
    return s->x < -x_threshold || s->x > x_threshold || s->theta < -theta_threshold || s->theta > theta_threshold;
}

/* splitmix64: a tiny, well-mixed generator for the reset states. */
static uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *rng, double low, double high) {
    return low + (high - low) * ((double)(next_random(rng) >> 11) * 0x1.0p-53);
}

static void reset(maze_cartpole_state *s, float observation[4], uint64_t *rng) {
    s->x = uniform(rng, -0.05, 0.05);
    s->x_dot = uniform(rng, -0.05, 0.05);
    s->theta = uniform(rng, -0.05, 0.05);
    s->theta_dot = uniform(rng, -0.05, 0.05);
    observation[0] = (float)s->x;
    observation[1] = (float)s->x_dot;
    observation[2] = (float)s->theta;
    observation[3] = (float)s->theta_dot;
}

double maze_cartpole_run(int64_t steps, uint64_t seed, double *checksum) {
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    uint64_t rng = seed;
    maze_cartpole_state state;
    float observation[4];
    double sum = 0.0;
    int episode_steps = 0;
    reset(&state, observation, &rng);
    for (int64_t i = 0; i < steps; i++) {
        const float score = 0.01f * observation[0] + 0.1f * observation[1] + observation[2] + 0.5f * observation[3];
        const int terminated = maze_cartpole_step(&state, score > 0.0f, observation);
        sum += (double)observation[0] + observation[1] + observation[2] + observation[3];
        episode_steps += 1;
        if (terminated || episode_steps >= max_episode_steps) {
            reset(&state, observation, &rng);
            episode_steps = 0;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    *checksum = sum;
    const double elapsed = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) * 1e-9;
    return elapsed > 0.0 ? (double)steps / elapsed : 0.0;
}
