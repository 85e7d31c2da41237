// swift-tools-version:6.0
import PackageDescription

/// swift-maze: applied reinforcement learning with a distributed actor-learner service.
/// Modules are layered as described in docs/ARCHITECTURE.md; dependencies point down only.
let package = Package(
    name: "swift-maze",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "maze", targets: ["MazeCLI"]),
        // The benchmarks (`maze bench …` runs it): outside the product, with the C baselines they measure against.
        .executable(name: "maze-bench", targets: ["MazeBenchCLI"]),
        .library(name: "MazeZMQ", targets: ["MazeZMQ"]),
        .library(name: "MazeWire", targets: ["MazeWire"]),
        .library(name: "MazeTensor", targets: ["MazeTensor"]),
        .library(name: "MazeCore", targets: ["MazeCore"]),
        .library(name: "MazeEnvs", targets: ["MazeEnvs"]),
        .library(name: "MazeTrajectory", targets: ["MazeTrajectory"]),
        .library(name: "MazeConfigTree", targets: ["MazeConfigTree"]),
        .library(name: "MazeConfig", targets: ["MazeConfig"]),
        .library(name: "MazeReporting", targets: ["MazeReporting"]),
        .library(name: "MazePerception", targets: ["MazePerception"]),
        .library(name: "MazeSystem", targets: ["MazeSystem"]),
        .library(name: "MazeService", targets: ["MazeService"]),
        .library(name: "MazeDistributed", targets: ["MazeDistributed"]),
        .library(name: "MazeTrain", targets: ["MazeTrain"]),
        .library(name: "MazeRun", targets: ["MazeRun"]),
        // A user's own `maze` executable with its own envs, wrappers, policies and models (docs/WRITING_ENVS.md).
        .library(name: "MazeCommandLine", targets: ["MazeCommandLine"]),
        .library(name: "MazeGymBridge", targets: ["MazeGymBridge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Native libraries, found through pkg-config; the apt providers name the Debian packages.
        .systemLibrary(name: "CZMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CMsgPack", pkgConfig: "msgpack", providers: [.apt(["libmsgpack-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // C reference implementations the benchmarks (and MazeEnvsTests) measure Swift against, in the same process.
        .target(name: "MazeBaselines", dependencies: ["CZMQ"], path: "tools/baselines"),

        // Operating-system helpers with no Maze dependency: child processes and process groups, stop signals.
        .target(name: "MazeSystem"),
        .target(name: "MazeZMQ", dependencies: ["CZMQ"]),
        .target(name: "MazeWire", dependencies: ["CMsgPack"]),
        // Element-wise kernels Swift cannot vectorise on Linux (a square root without errno), for MazeTensor.
        .target(name: "CMazeKernels"),
        .target(name: "MazeTensor", dependencies: ["CBLAS", "CMazeKernels"]),
        // The configuration tree and its one typed reader, shared by MazeCore's registries and MazeConfig's YAML
        // composer without pulling Yams below MazeConfig (docs/ARCHITECTURE.md).
        .target(name: "MazeConfigTree"),
        .target(name: "MazeCore", dependencies: ["MazeConfigTree"]),
        .target(name: "MazeEnvs", dependencies: ["MazeCore"]),
        // record_trajectory's msgpack files: above MazeCore, on msgpack-c directly (docs/ARCHITECTURE.md).
        .target(name: "MazeTrajectory", dependencies: ["MazeCore", "CMsgPack"]),
        .target(name: "MazeConfig", dependencies: ["MazeConfigTree", "Yams"]),
        // Gymnasium envs served by Python processes (python/maze_gym_bridge), stepped as native envs.
        .target(name: "MazeGymBridge", dependencies: ["MazeCore", "MazeWire", "MazeTrajectory"]),
        .target(name: "MazeReporting", dependencies: ["MazeCore"]),
        .target(name: "MazePerception", dependencies: ["MazeTensor", "MazeCore", "MazeConfig"]),
        // The learner/actor service core: sockets, control, queue, ingress, broadcast, metrics. No training,
        // perception, env or tensor module: algorithms and acting policies plug in through its protocols.
        .target(
            name: "MazeService", dependencies: ["MazeZMQ", "MazeWire", "MazeConfig", "MazeReporting", "MazeSystem"]),
        // The training adapters: MazeTrain's algorithms and policies behind the service core's protocols.
        .target(
            name: "MazeDistributed",
            dependencies: [
                "MazeService", "MazeWire", "MazeConfig", "MazeTrain", "MazePerception", "MazeEnvs", "MazeCore",
                "MazeTensor",
                "MazeReporting",
            ]),
        .target(
            name: "MazeTrain",
            dependencies: [
                "MazePerception", "MazeEnvs", "MazeGymBridge", "MazeCore", "MazeTensor", "MazeConfig", "MazeSystem",
                "MazeTrajectory",
            ]),
        .target(
            name: "MazeRun",
            dependencies: [
                "MazeService", "MazeSystem", "MazeDistributed", "MazeWire", "MazeZMQ", "MazeTrain", "MazeReporting",
                "MazeConfig", "MazePerception", "MazeEnvs", "MazeCore", "MazeTensor", "MazeTrajectory",
            ]),
        // Helpers shared by the test targets only: Python interop, hostile and malformed frames, toy service algorithms.
        .target(
            name: "MazeTestSupport",
            dependencies: ["MazeTensor", "MazeSystem", "MazeService", "MazeWire", "MazeZMQ", "CAllocationCounter"]),
        .target(
            name: "MazeCommandLine",
            dependencies: [
                "MazeRun", "MazeService", "MazeSystem", "MazeDistributed", "MazeTrain", "MazeConfig", "MazeCore",
                "MazeWire", "MazeZMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "MazeCLI",
            dependencies: [
                "MazeCommandLine", "MazeTrain", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Counts the heap allocations of maze-bench and the tests (glibc), for allocations per update; never in the
        // product.
        .target(name: "CAllocationCounter", path: "Benchmarks/CAllocationCounter"),
        // The benchmarks' code, and `maze-bench`, the executable `maze bench …` runs (Benchmarks/).
        .target(
            name: "MazeBenchmarks",
            dependencies: [
                "MazeBaselines", "CAllocationCounter", "CBLAS", "MazeZMQ", "MazeWire", "MazeTensor", "MazeCore",
                "MazeEnvs", "MazeConfig",
                "MazePerception", "MazeTrain", "MazeReporting", "MazeRun", "MazeService", "MazeSystem",
                "MazeDistributed",
                "MazeGymBridge", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/MazeBenchmarks"),
        .executableTarget(name: "MazeBenchCLI", dependencies: ["MazeBenchmarks"], path: "Benchmarks/MazeBenchCLI"),

        .testTarget(name: "MazeSystemTests", dependencies: ["MazeSystem"]),
        .testTarget(name: "MazeZMQTests", dependencies: ["MazeZMQ", "MazeTestSupport"]),
        .testTarget(name: "MazeWireTests", dependencies: ["MazeWire", "MazeZMQ", "MazeSystem", "MazeTestSupport"]),
        .testTarget(
            name: "MazeTensorTests", dependencies: ["MazeTensor", "MazeTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "MazeCoreTests", dependencies: ["MazeCore", "MazeTestSupport"]),
        .testTarget(
            name: "MazeTrajectoryTests", dependencies: ["MazeTrajectory", "MazeCore", "MazeEnvs", "MazeTestSupport"]),
        .testTarget(
            name: "MazeEnvsTests", dependencies: ["MazeEnvs", "MazeBaselines", "MazeTestSupport"], exclude: ["Fixtures"]
        ),
        .testTarget(name: "MazeConfigTests", dependencies: ["MazeConfig", "MazeTestSupport"]),
        .testTarget(name: "MazeReportingTests", dependencies: ["MazeReporting", "MazeTestSupport"]),
        .testTarget(
            name: "MazePerceptionTests",
            dependencies: ["MazePerception", "MazeTensor", "MazeCore", "MazeConfig", "MazeTestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "MazeServiceTests",
            dependencies: [
                "MazeService", "MazeSystem", "MazeWire", "MazeZMQ", "MazeConfig", "MazeReporting", "MazeTestSupport",
            ]),
        .testTarget(
            name: "MazeDistributedTests",
            dependencies: [
                "MazeDistributed", "MazeService", "MazeSystem", "MazeRun", "MazeWire", "MazeZMQ", "MazeConfig",
                "MazeTensor",
                "MazeReporting", "MazeTestSupport",
            ]),
        .testTarget(
            name: "MazeTrainTests",
            dependencies: [
                "MazeTrain", "MazePerception", "MazeEnvs", "MazeCore", "MazeTensor", "MazeConfig", "MazeTestSupport",
                "MazeTrajectory",
            ], exclude: ["Fixtures"]),
        .testTarget(
            name: "MazeCommandLineTests",
            dependencies: ["MazeCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(
            name: "MazeGymBridgeTests",
            dependencies: [
                "MazeGymBridge", "MazeTrain", "MazeEnvs", "MazeCore", "MazeConfig", "MazeSystem", "MazeTestSupport",
            ],
            exclude: ["PythonEnvs"]),
        .testTarget(name: "MazeBenchmarksTests", dependencies: ["MazeBenchmarks", "MazeCore"]),
        .testTarget(
            name: "MazeRunTests",
            dependencies: [
                "MazeRun", "MazeTrain", "MazeReporting", "MazeConfig", "MazeCore", "MazeEnvs", "MazeTrajectory",
                "MazeSystem", "MazeTestSupport",
            ]),
    ]
)
