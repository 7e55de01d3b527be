import ArgumentParser
import FoundationEssentials
import Hit

/// One clear line for what the argument parser refuses, including the spellings other load testers
/// taught their users: `-n5` (a value glued to its flag), `-concurrency 2` (a long name with one
/// dash).
enum PeerSpelling {
    /// The parser's message for `error`, on one line, with secrets redacted and a hint for a
    /// peer's spelling.
    static func message(for error: any Error, arguments: [String]) -> String {
        var message = HitCommand.message(for: error)
        // Quoted values keep their control characters escaped, not broken over lines.
        for argument in arguments where argument.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            message = message.replacing(argument, with: UsageError.escaped(argument))
        }
        // The parser may add alternatives on further lines ("or: Missing value ..."): the first says it.
        message = String(message.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
        if let unknown = unknownOption(in: message), let hint = hint(for: unknown) {
            message = "unknown option '\(unknown)': \(hint)"
        }
        return Redaction.text(message)
    }

    /// The option named in "Unknown option '-n5'...".
    static func unknownOption(in message: String) -> String? {
        guard let start = message.firstRange(of: "Unknown option '")?.upperBound,
              let end = message[start...].firstIndex(of: "'") else { return nil }
        return String(message[start..<end])
    }

    /// Refuses, before the parser sees them, the spellings the parser would misread: `-n5` (read as
    /// `-n -5`), `-z1s`, and a long name with one dash (`-concurrency`).
    static func check(_ arguments: [String]) throws(UsageError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { return }
            if valueTaking.contains(argument) {
                index += 2
                continue
            }
            if argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count > 2,
               !singleDashNames.contains(argument), let hint = hint(for: argument) {
                throw UsageError("unknown option '\(argument)': \(hint)")
            }
            index += 1
        }
    }

    /// The options, as written on the command line, that take a value ("-n", "--requests", "-rps").
    static let valueTaking: Set<String> = {
        var names: Set<String> = []
        for line in HitCommand.helpMessage(columns: 1000).split(separator: "\n") {
            guard let bracket = line.firstIndex(of: "<") else { continue }
            for word in line[..<bracket].split(separator: " ") where word.hasPrefix("-") {
                names.insert(word.filter { $0 != "," })
            }
        }
        return names
    }()

    /// The options written with one dash and a long name, as hey writes them: -rps, -h2, -host.
    static let singleDashNames: Set<String> = {
        var names: Set<String> = []
        for line in HitCommand.helpMessage(columns: 1000).split(separator: "\n") {
            for word in line.split(separator: " ") where word.hasPrefix("-") && !word.hasPrefix("--") && word.count > 3 {
                names.insert(word.filter { $0 != "," })
            }
        }
        return names
    }()

    /// Every long option name hit knows, from its own help.
    static let longNames: Set<String> = {
        let help = HitCommand.helpMessage(columns: 1000)
        var names: Set<String> = []
        var rest = Substring(help)
        while let range = rest.firstRange(of: "--") {
            let name = rest[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." }
            if !name.isEmpty { names.insert(String(name)) }
            rest = rest[range.upperBound...]
        }
        return names
    }()

    /// Short options that take a value.
    static let shortWithValue: Set<Character> = ["n", "c", "z", "t", "m", "H", "d", "D", "T", "A", "a", "o", "x", "f"]

    static func hint(for option: String) -> String? {
        let bare = option.drop { $0 == "-" }
        if option.hasPrefix("-"), !option.hasPrefix("--"), longNames.contains(String(bare.prefix { $0 != "=" })) {
            return "write '--\(bare)', with two dashes"
        }
        if option.hasPrefix("-"), !option.hasPrefix("--"), option.count > 2, let flag = bare.first, shortWithValue.contains(flag) {
            return "write '-\(flag) \(UsageError.escaped(String(bare.dropFirst())))', with the value as its own argument"
        }
        return nil
    }
}
