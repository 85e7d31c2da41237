import ArgumentParser
import Testing

@testable import MazeCommandLine

/// The command line as a library: its root is `maze` with every standard command, a root can add more, and the
/// commands that build from config are the ones handed the executable's components.
@Suite struct MazeCommandTests {
    private struct Extra: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "extra")
    }

    private static func names(_ configuration: CommandConfiguration) -> [String] {
        configuration.subcommands.compactMap { $0.configuration.commandName }
    }

    @Test func rootIsMazeWithTheStandardCommands() {
        #expect(MazeCommand.configuration.commandName == "maze")
        #expect(
            Self.names(MazeCommand.configuration) == [
                "run", "learner", "actor", "submit", "status", "cancel", "health", "keys",
            ])
        #expect(Self.names(MazeCommand.configuration(adding: [Extra.self])).last == "extra")
    }

    @Test func commandsThatBuildFromConfigTakeTheComponents() throws {
        let building = [
            ["run", "-cd", "conf", "env=inventory_replenishment"], ["learner", "--insecure"], ["actor", "--insecure"],
            ["submit", "-cd", "conf", "--insecure"],
        ]
        for arguments in building {
            #expect(try MazeCommand.parseAsRoot(arguments) is any ComponentsCommand, "\(arguments)")
        }
        #expect(try !(MazeCommand.parseAsRoot(["status", "--insecure"]) is any ComponentsCommand))
    }
}
