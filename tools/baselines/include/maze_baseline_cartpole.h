/* CartPole-v1 in plain C: the physical reference that 'maze bench envs' measures the Swift env against. */
#ifndef MAZE_BASELINE_CARTPOLE_H
#define MAZE_BASELINE_CARTPOLE_H

#include <stdint.h>

/* The cart-pole state in float64, as Gymnasium keeps it. */
typedef struct {
    double x;
    double x_dot;
    double theta;
    double theta_dot;
} maze_cartpole_state;

/* Advances the state by one Euler step of Gymnasium's CartPole-v1 (action 1 pushes right, anything
   else left), writes the float32 observation and returns 1 when the episode terminated. */
int maze_cartpole_step(maze_cartpole_state *state, int action, float observation[4]);

/* Runs `steps` steps with the balancing heuristic
   (push right when 0.01 x + 0.1 x_dot + theta + 0.5 theta_dot > 0, read from the float32 observation),
   resetting to a uniform(-0.05, 0.05) state on termination or after 500 steps; returns steps per second.
   `checksum` receives the sum of all observations so that no step can be optimised away. */
double maze_cartpole_run(int64_t steps, uint64_t seed, double *checksum);

#endif
