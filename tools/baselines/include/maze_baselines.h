/* MazeBaselines: C reference implementations used by 'maze bench'. */
#include "maze_baseline_transport.h"
