/* MazeBaselines: C reference implementations used by 'maze bench'. */
#include "maze_baseline_transport.h"
#include "maze_baseline_cartpole.h"
