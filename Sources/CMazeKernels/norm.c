#include "maze_kernels.h"

MAZE_VECTOR_CLONES
double maze_sum_of_squares(const float *values, long count) {
    // Eight partial sums, element i into lane i % 8, added up in a fixed order at the end: the same bits on every
    // run, and independent lanes that the compiler keeps in vector registers (one running sum would be one long
    // chain of dependent double additions).
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long index = 0;
    for (; index + 8 <= count; index += 8) {
        for (int lane = 0; lane < 8; lane++) {
            double value = values[index + lane];
            lanes[lane] += value * value;
        }
    }
    for (int lane = 0; index < count; index++, lane++) {
        double value = values[index];
        lanes[lane] += value * value;
    }
    return ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5])) + ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
}
