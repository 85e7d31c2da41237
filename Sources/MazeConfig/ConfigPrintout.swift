import Foundation

/// What `maze run --cfg` prints, as Hydra's `--cfg job|hydra|all`: the composed job config, the
/// settings that place and describe the run (Hydra's `hydra` node: run and sweep folders, the root config,
/// the overrides and the group choices), or both.
public enum ConfigPrintout: String, CaseIterable, Sendable {
    case job
    case hydra
    case all

    /// The YAML to print for `composed`, job `jobNumber` of a multirun (`nil` for a single run), at `date`.
    public func text(for composed: ComposedConfig, jobNumber: Int?, date: Date) throws -> String {
        switch self {
        case .job:
            return composed.yaml
        case .hydra:
            return ConfigNode.map(
                ConfigMap([("hydra", try Self.hydraNode(composed, jobNumber: jobNumber, date: date))])
            ).yaml
        case .all:
            guard case .map(var root) = composed.config else { return composed.yaml }
            root["hydra"] = try Self.hydraNode(composed, jobNumber: jobNumber, date: date)
            return ConfigNode.map(root).yaml
        }
    }

    /// The `hydra` node: where the run writes (`run.dir`, or `sweep.dir`/`sweep.subdir` in a multirun),
    /// the mode, the root config, the overrides as given and every group's option.
    static func hydraNode(_ composed: ComposedConfig, jobNumber: Int?, date: Date) throws -> ConfigNode {
        let runDirectory = try RunDirectory.path(for: composed, date: date)
        let jobDirectory = try RunDirectory.path(for: composed, date: date, jobNumber: jobNumber ?? 0)
        let sweepDirectory = String(jobDirectory.dropLast(String(jobNumber ?? 0).count + 1))
        let choices = ConfigMap(composed.choices.map { ($0.group, $0.option.map(ConfigNode.string) ?? .null) })
        return .map(
            ConfigMap([
                ("run", .map(ConfigMap([("dir", .string(runDirectory))]))),
                (
                    "sweep",
                    .map(
                        ConfigMap([
                            ("dir", .string(sweepDirectory)),
                            ("subdir", jobNumber.map { .string(String($0)) } ?? .null),
                        ]))
                ),
                ("mode", .string(jobNumber == nil ? "RUN" : "MULTIRUN")),
                ("job", .map(ConfigMap([("config_name", .string(composed.rootConfig))]))),
                ("overrides", .map(ConfigMap([("task", .list(composed.overrides.map(ConfigNode.string)))]))),
                ("runtime", .map(ConfigMap([("choices", .map(choices))]))),
            ]))
    }
}
