import Foundation
import Testing

@testable import MazeConfig

/// `maze run --cfg job|hydra|all`: the job config, the run-folder settings (Hydra's `hydra` node), or both.
@Suite struct ConfigPrintoutTests {
    private let composer = ConfigFixtures.shippedComposer
    private let date = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func hydraPrintsWhereAndHowTheRunIsPlaced() throws {
        let composed = try composer.compose(
            rootConfig: "conf_train", overrides: ["runner=dev", "log_base_dir=/tmp/out"])
        let text = try ConfigPrintout.hydra.text(for: composed, jobNumber: nil, date: date)
        let hydra = try ConfigSection(root: ConfigNode(yaml: text)).section("hydra")
        #expect(try hydra.string("run.dir") == RunDirectory.path(for: composed, date: date))
        #expect(try hydra.string("mode") == "RUN")
        #expect(try hydra.string("job.config_name") == "conf_train")
        #expect(
            try hydra.section("overrides.task").elements().map { try $0.string() } == [
                "runner=dev", "log_base_dir=/tmp/out",
            ])
        #expect(try hydra.string("runtime.choices.algorithm") == "ppo")
        #expect(try hydra.string("runtime.choices.runner") == "dev")
        #expect(!text.contains("algorithm:\n  n_epochs"))
    }

    @Test func allIsTheJobConfigWithTheHydraNode() throws {
        let composed = try composer.compose(rootConfig: "conf_train", overrides: ["runner=dev"])
        let all = try ConfigSection(
            root: ConfigNode(yaml: ConfigPrintout.all.text(for: composed, jobNumber: 3, date: date)))
        #expect(try all.double("algorithm.lr") == composed.root.double("algorithm.lr"))
        #expect(try all.string("hydra.mode") == "MULTIRUN")
        #expect(try all.string("hydra.sweep.subdir") == "3")
        #expect(try all.string("hydra.sweep.dir") + "/3" == RunDirectory.path(for: composed, date: date, jobNumber: 3))
        #expect(try ConfigPrintout.job.text(for: composed, jobNumber: nil, date: date) == composed.yaml)
    }
}
