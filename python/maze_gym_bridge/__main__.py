from maze_gym_bridge.server import main

main()
