/* MazeBaselines: C reference implementations used by 'maze bench'. */
