// swift-tools-version:6.0
import PackageDescription

/// swift-maze: applied reinforcement learning with a distributed actor-learner service.
/// Modules are layered as described in docs/ARCHITECTURE.md; dependencies point down only.
let package = Package(
    name: "swift-maze",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "maze", targets: ["MazeCLI"]),
        .library(name: "MazeZMQ", targets: ["MazeZMQ"]),
        .library(name: "MazeWire", targets: ["MazeWire"]),
        .library(name: "MazeTensor", targets: ["MazeTensor"]),
        .library(name: "MazeCore", targets: ["MazeCore"]),
        .library(name: "MazeEnvs", targets: ["MazeEnvs"]),
        .library(name: "MazeTrajectory", targets: ["MazeTrajectory"]),
        .library(name: "MazeConfig", targets: ["MazeConfig"]),
        .library(name: "MazeReporting", targets: ["MazeReporting"]),
        .library(name: "MazePerception", targets: ["MazePerception"]),
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

        // C reference implementations the benchmarks measure Swift against, in the same process.
        .target(name: "MazeBaselines", dependencies: ["CZMQ"], path: "tools/baselines"),

        .target(name: "MazeZMQ", dependencies: ["CZMQ"]),
        .target(name: "MazeWire", dependencies: ["CMsgPack"]),
        .target(name: "MazeTensor", dependencies: ["CBLAS"]),
        .target(name: "MazeCore"),
        .target(name: "MazeEnvs", dependencies: ["MazeCore"]),
        // record_trajectory's msgpack files: above MazeCore, on msgpack-c directly (docs/ARCHITECTURE.md).
        .target(name: "MazeTrajectory", dependencies: ["MazeCore", "CMsgPack"]),
        .target(name: "MazeConfig", dependencies: ["Yams"]),
        // Gymnasium envs served by Python processes (python/maze_gym_bridge), stepped as native envs.
        .target(name: "MazeGymBridge", dependencies: ["MazeCore", "MazeWire", "MazeTrajectory"]),
        .target(name: "MazeReporting", dependencies: ["MazeCore"]),
        .target(name: "MazePerception", dependencies: ["MazeTensor", "MazeCore", "MazeConfig"]),
        .target(
            name: "MazeDistributed",
            dependencies: [
                "MazeZMQ", "MazeWire", "MazeConfig", "MazeTrain", "MazePerception", "MazeEnvs", "MazeCore", "MazeTensor",
                "MazeReporting",
            ]),
        .target(name: "MazeTrain", dependencies: ["MazePerception", "MazeEnvs", "MazeGymBridge", "MazeCore", "MazeTensor", "MazeConfig"]),
        .target(name: "MazeRun", dependencies: ["MazeDistributed", "MazeWire", "MazeZMQ", "MazeTrain", "MazeReporting", "MazeConfig", "MazePerception", "MazeEnvs", "MazeCore", "MazeTensor", "MazeTrajectory"]),
        // Helpers shared by the test targets only: child processes that are always cleaned up, Python interop.
        .target(name: "MazeTestSupport", dependencies: ["MazeTensor"]),
        .target(
            name: "MazeCommandLine",
            dependencies: [
                "MazeRun", "MazeDistributed", "MazeTrain", "MazeConfig", "MazeCore", "MazeWire", "MazeZMQ",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "MazeCLI",
            dependencies: [
                "MazeCommandLine", "MazeZMQ", "MazeWire", "MazeTensor", "MazeCore", "MazeEnvs", "MazeConfig", "MazeBaselines",
                "MazePerception", "MazeTrain", "MazeReporting", "MazeRun", "MazeDistributed", "MazeGymBridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        .testTarget(name: "MazeZMQTests", dependencies: ["MazeZMQ", "MazeTestSupport"]),
        .testTarget(name: "MazeWireTests", dependencies: ["MazeWire", "MazeZMQ", "MazeTestSupport"]),
        .testTarget(name: "MazeTensorTests", dependencies: ["MazeTensor", "MazeTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MazeCoreTests", dependencies: ["MazeCore", "MazeTestSupport"]),
        .testTarget(name: "MazeTrajectoryTests", dependencies: ["MazeTrajectory", "MazeCore", "MazeEnvs", "MazeTestSupport"]),
        .testTarget(name: "MazeEnvsTests", dependencies: ["MazeEnvs", "MazeBaselines", "MazeTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MazeConfigTests", dependencies: ["MazeConfig", "MazeTestSupport"]),
        .testTarget(name: "MazeReportingTests", dependencies: ["MazeReporting", "MazeTestSupport"]),
        .testTarget(name: "MazePerceptionTests", dependencies: ["MazePerception", "MazeTensor", "MazeCore", "MazeConfig", "MazeTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "MazeDistributedTests",
            dependencies: ["MazeDistributed", "MazeWire", "MazeZMQ", "MazeConfig", "MazeTensor", "MazeReporting", "MazeTestSupport"]),
        .testTarget(name: "MazeTrainTests", dependencies: ["MazeTrain", "MazePerception", "MazeEnvs", "MazeCore", "MazeTensor", "MazeConfig", "MazeTestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "MazeCommandLineTests",
            dependencies: ["MazeCommandLine", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(
            name: "MazeGymBridgeTests", dependencies: ["MazeGymBridge", "MazeTrain", "MazeEnvs", "MazeCore", "MazeConfig", "MazeTestSupport"],
            exclude: ["PythonEnvs"]),
        .testTarget(name: "MazeRunTests", dependencies: ["MazeRun", "MazeTrain", "MazeReporting", "MazeConfig", "MazeCore", "MazeEnvs", "MazeTrajectory", "MazeTestSupport"]),
    ]
)
