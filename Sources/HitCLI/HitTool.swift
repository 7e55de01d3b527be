import ArgumentParser
import Hit

/// hit's commands as one tree, as swift-argument-parser declares subcommands: `hit [options] URL`
/// (the default, which `hit run` names too), `hit report`, `hit merge` and `hit compare`. A first word that names
/// a subcommand chooses it (no URL is ever one: a target is an absolute http(s) URL); any other
/// goes to the default. Every subcommand then parses and fails the one way `Subcommand.prepare`
/// has, and `hit help NAME` shows its help.
struct HitTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hit",
        subcommands: [HitCommand.self, ReportCommand.self, MergeCommand.self, CompareCommand.self],
        defaultSubcommand: HitCommand.self
    )

    /// The subcommands, each as the one error path knows it.
    static var subcommands: [any Subcommand.Type] {
        configuration.subcommands.compactMap { $0 as? any Subcommand.Type }
    }

    /// The subcommand `name` names, if any.
    static func subcommand(named name: String?) -> (any Subcommand.Type)? {
        guard let name else { return nil }
        return subcommands.first { $0.configuration.commandName == name }
    }

    /// The subcommand `arguments` ask for, and the arguments that are its own.
    static func command(for arguments: [String]) -> (command: any Subcommand.Type, arguments: [String]) {
        if let named = subcommand(named: arguments.first) { return (named, Array(arguments.dropFirst())) }
        let fallback = configuration.defaultSubcommand as? any Subcommand.Type
        return (fallback ?? HitCommand.self, arguments)
    }
}
