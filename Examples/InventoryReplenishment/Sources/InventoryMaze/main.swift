import InventoryReplenishment
import MazeCommandLine
import MazeTrain

// `inventory-maze`: the standard `maze` commands, with the inventory replenishment env, its heuristic and the
// package's own perception block registered. Its learner, actors and rollouts build `env=inventory_replenishment`
// and `model=inventory_gated` like any built-in env and model.
var components = MazeComponents.builtIn
components.registries.registerInventoryReplenishment()
components.addPerception { try $0.registerGatedLinearBlock() }
await MazeCommand.main(components: components)
