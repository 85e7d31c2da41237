import Foundation
import Testing

@testable import MazeConfig

@Suite("Defaults lists and search path")
struct DefaultsListTests {
    @Test func selfPositionDecidesWhetherTheRootOrItsGroupsWin() throws {
        let files = [
            "self_first.yaml": "defaults:\n  - _self_\n  - db: mysql\ndb: {port: 1}\n",
            "self_last.yaml": "defaults:\n  - db: mysql\ndb: {port: 1}\n",
            "db/mysql.yaml": "port: 3306\nhost: localhost\n",
        ]
        try ConfigFixtures.withUserDirectory(files) { directory throws in
            let composer = ConfigFixtures.composer(onlyIn: directory)
            #expect(try composer.compose(rootConfig: "self_first").root.int("db.port") == 3306)
            #expect(try composer.compose(rootConfig: "self_last").root.int("db.port") == 1)
            #expect(try composer.compose(rootConfig: "self_last").root.string("db.host") == "localhost")
        }
    }

    @Test func appendedExperimentsWinOverTheRootAndMayDeselectGroups() throws {
        let files = [
            "root.yaml": "defaults:\n  - db: mysql\n  - cache: redis\nvalue: root\n",
            "db/mysql.yaml": "port: 3306\n",
            "db/postgres.yaml": "port: 5432\n",
            "cache/redis.yaml": "size: 64\n",
            "experiment/fast.yaml": """
            # @package _global_
            defaults:
              - override /db: postgres
              - override /cache: ~
            value: experiment
            """,
        ]
        try ConfigFixtures.withUserDirectory(files) { directory throws in
            let composed = try ConfigFixtures.composer(onlyIn: directory)
                .compose(rootConfig: "root", overrides: ["+experiment=fast"])
            #expect(try composed.root.string("value") == "experiment")
            #expect(try composed.root.int("db.port") == 5432)
            #expect(composed.choice("cache") == nil)
            #expect(!composed.root.contains("cache"))
        }
    }

    @Test func optionalNullNestedAndPackagedEntries() throws {
        let files = [
            "root.yaml": """
            defaults:
              - server: apache
              - optional extras: missing
              - cache: ~
              - mirror@backup: nginx
              - shared
              - old_style: present
                optional: true
            """,
            "shared.yaml": "# @package _global_\nshared_flag: true\n",
            "server/apache.yaml": "defaults:\n  - tuning: fast\n  - /logging: verbose\nport: 80\n",
            "server/tuning/fast.yaml": "threads: 8\n",
            "server/tuning/slow.yaml": "# @package _group_\nthreads: 1\n",
            "logging/verbose.yaml": "# @package log\nlevel: debug\n",
            "mirror/nginx.yaml": "port: 8080\n",
            "cache/redis.yaml": "size: 64\n",
            "old_style/present.yaml": "here: yes\n",
        ]
        try ConfigFixtures.withUserDirectory(files) { directory throws in
            let composer = ConfigFixtures.composer(onlyIn: directory)
            let composed = try composer.compose(rootConfig: "root")
            let root = composed.root
            #expect(try root.int("server.port") == 80)
            #expect(try root.int("server.tuning.threads") == 8)
            #expect(try root.string("log.level") == "debug")
            #expect(try root.int("backup.port") == 8080)
            #expect(try root.bool("shared_flag"))
            #expect(try root.string("old_style.here") == "yes")
            #expect(!root.contains("extras") && !root.contains("cache") && !root.contains("mirror"))
            #expect(
                composed.choices.map(\.group) == [
                    "server", "server/tuning", "logging", "extras", "cache", "mirror", "old_style",
                ])
            #expect(composed.choice("cache") == nil)

            // Nested groups and deselected groups can be chosen from the command line.
            let overridden = try composer.compose(rootConfig: "root", overrides: ["server/tuning=slow", "cache=redis"])
            #expect(try overridden.root.int("server.tuning.threads") == 1)
            #expect(try overridden.root.int("cache.size") == 64)
            #expect(
                throws: ConfigError.groupOptionNotFound(
                    group: "server/tuning", option: "fats", available: ["fast", "slow"], suggestion: "fast")
            ) {
                try composer.compose(rootConfig: "root", overrides: ["server/tuning=fats"])
            }
        }
    }

    @Test func userFoldersAreSearchedBeforeTheShippedOne() throws {
        let files = [
            "algorithm/ppo.yaml": "# @package algorithm\nlr: 0.5\n",
            "algorithm/my_algo.yaml": "# @package algorithm\nlr: 0.25\n",
            "algorithm_runner/my_algo-local.yaml": "# @package runner\n_target_: MyRunner\n",
            "my_root.yaml": "defaults:\n  - env: gym_env\nlog_base_dir: mine\n",
        ]
        try ConfigFixtures.withUserDirectory(files) { directory throws in
            let composer = ConfigComposer(
                searchPath: ConfigSearchPath(
                    userDirectories: [directory], shippedDirectory: ConfigSearchPath.shippedDirectory(environment: [:]))
            )
            #expect(try composer.compose(rootConfig: "conf_train").root.double("algorithm.lr") == 0.5)
            let mine = try composer.compose(rootConfig: "conf_train", overrides: ["algorithm=my_algo"])
            #expect(try mine.root.double("algorithm.lr") == 0.25)
            #expect(try mine.root.string("runner._target_") == "MyRunner")
            let custom = try composer.compose(rootConfig: "my_root")
            #expect(try custom.root.string("env.name") == "CartPole-v1")
            #expect(
                composer.searchPath.options(inGroup: "algorithm") == [
                    "a2c", "bc", "es", "impala", "my_algo", "ppo", "sac", "sacfd",
                ])
        }
    }

    @Test func groupFileSyntaxErrorsNameTheFile() throws {
        try ConfigFixtures.withUserDirectory(["root.yaml": "defaults:\n  - db: bad\n", "db/bad.yaml": "a: [\n"]) {
            directory throws in
            do {
                _ = try ConfigFixtures.composer(onlyIn: directory).compose(rootConfig: "root")
                Issue.record("expected a syntax error")
            } catch ConfigError.yamlSyntax(let file, let line, _, _) {
                #expect(file.hasSuffix("db/bad.yaml"))
                #expect(line == 2)
            }
        }
    }

    @Test func shippedDirectoryCanBeRelocatedByEnvironment() {
        let url = ConfigSearchPath.shippedDirectory(environment: ["MAZE_CONFIG_DIR": "/opt/maze/conf"])
        #expect(url.path == "/opt/maze/conf")
        #expect(
            FileManager.default.fileExists(
                atPath: ConfigSearchPath.shippedDirectory(environment: [:]).appendingPathComponent("conf_train.yaml")
                    .path))
    }
}
