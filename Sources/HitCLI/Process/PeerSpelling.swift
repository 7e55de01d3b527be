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
        if let value = durationBody(in: arguments) {
            let escaped = UsageError.escaped(value)
            throw UsageError("-d '\(escaped)' is a request body here (as in hey and curl), not a duration: "
                + "for a duration write -z \(escaped); to send it as the body, write --data-raw '\(escaped)' or give -m")
        }
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
            // hey's -q is a rate per worker; hit's is quiet, and the number would be read as a URL.
            if argument == "-q", index + 1 < arguments.count, Double(arguments[index + 1]) != nil {
                throw UsageError("-q is quiet here and takes no value: for a rate write -rps \(arguments[index + 1]) "
                    + "(requests per second in total, where hey's -q is per worker)")
            }
            index += 1
        }
    }

    /// wrk's and vegeta's `-d 30s` (a duration): the value of a `-d` that parses as a duration when
    /// neither a method (`-m`, `-X`) nor `--data-raw` says a body was meant. Sending a body to a
    /// real API by accident is worse than a refused command.
    static func durationBody(in arguments: [String]) -> String? {
        let words = arguments.prefix { $0 != "--" }
        let methodOrRaw = ["-m", "-X", "--method", "--request", "--data-raw"]
        if words.contains(where: { word in methodOrRaw.contains { word == $0 || word.hasPrefix($0 + "=") } }) { return nil }
        var index = words.startIndex
        while index < words.endIndex {
            let word = words[index]
            var value: String?
            if ["-d", "--data", "--data-binary"].contains(word), index + 1 < words.endIndex {
                value = words[index + 1]
                index += 1
            } else if let equals = word.firstIndex(of: "="), ["--data", "--data-binary"].contains(String(word[..<equals])) {
                value = String(word[word.index(after: equals)...])
            } else if valueTaking.contains(word) {
                index += 1
            }
            if let value, value != "0", Duration(parsing: value) != nil { return value }
            index += 1
        }
        return nil
    }

    /// The options, as written on the command line, that take a value ("-n", "--requests", "-rps").
    /// Written out rather than read from the help at every start (that cost 4 ms of a 27 ms
    /// `hit -n 1`); `PeerSpellingTests` checks them against the help, so they cannot drift.
    static let valueTaking: Set<String> = [
        "--accept", "--baseline", "--cacert", "--cert", "--concurrency", "--connect-timeout", "--connect-to", "--connections",
        "--content-type", "--csv-file", "--data", "--data-binary", "--data-file", "--data-raw", "--duration", "--expect-body", "--expect-status", "--fail-if", "--feed", "--feed-order",
        "--find-max-rate", "--find-max-resolution", "--find-max-step", "--find-max-time", "--find-max-warm-up", "--gate", "--header",
        "--hgrm", "--hlog", "--host", "--html", "--inconclusive", "--interface", "--interval", "--json-file", "--key", "--loops",
        "--max-redirs", "--max-time", "--method", "--metrics-interval", "--netrc-file", "--noproxy", "--otlp-endpoint", "--otlp-interval",
        "--otlp-protocol", "--otlp-temporality", "--output", "--output-file", "--prometheus-remote-write", "--proxy", "--ramp-up", "--request", "--requests", "--resolve", "--rps", "--seed", "--shard", "--stages", "--start-at", "--streams",
        "--targets", "--timeout", "--unix-socket", "--user", "--user-agent",
        "-A", "-D", "-H", "-T", "-X", "-a", "-c", "-d", "-f", "-host", "-m", "-n", "-o", "-rps", "-t", "-x", "-z",
    ]

    /// The options written with one dash and a long name, as hey writes them: -rps, -h2, -host.
    static let singleDashNames: Set<String> = ["-disable-compression", "-disable-keepalive", "-h2", "-h3", "-host", "-rps"]

    /// What the help says `valueTaking` and `singleDashNames` are (for the test that keeps them
    /// in step): the names before a `<value>` on a line, and the one-dash names longer than two
    /// letters.
    static func namesInHelp() -> (valueTaking: Set<String>, singleDash: Set<String>) {
        var valueTaking: Set<String> = [], singleDash: Set<String> = []
        for line in HitCommand.helpMessage(columns: 1000).split(separator: "\n") {
            if let bracket = line.firstIndex(of: "<") {
                for word in line[..<bracket].split(separator: " ") where word.hasPrefix("-") {
                    valueTaking.insert(word.filter { $0 != "," })
                }
            }
            for word in line.split(separator: " ") where word.hasPrefix("-") && !word.hasPrefix("--") && word.count > 3 {
                let name = word.filter { $0 != "," }
                if name.dropFirst().allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) { singleDash.insert(name) }
            }
        }
        return (valueTaking, singleDash)
    }

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

    /// Short options whose value is a number or a duration: `-c10`, `-z1s`.
    static let shortWithNumber: Set<Character> = ["n", "c", "z", "t"]

    /// Other tools' options that hit spells differently or does not need, by name without dashes.
    static let peerOptions: [String: String] = [
        "cpus": "hit sizes its event loops from the cores itself (--loops N sets them)",
        "disable-redirects": "hit follows no redirect unless -L is given",
        "json": "write '-o json'",
        "fail": "a failed request already fails the run (exit 1); --fail-if sets other rules",
        "rate": "write '-rps RATE', requests per second in total",
        "qps": "write '-rps RATE', requests per second in total",
        "R": "write '-rps RATE', requests per second in total",
        "duration": "write '-z DURATION'",
        "threads": "write '--loops N' for event-loop threads; -c sets the workers",
        "latency": "hit always reports the latency distribution",
        "verbose": "hit reports every request's outcome in its summary; -o csv gives one row per request",
        // k6
        "vus": "write '-c N' for N concurrent workers (k6's virtual users); -rps sets a rate",
        // ab
        "p": "ab's -p FILE posts a file: write '-D FILE' (a body makes it a POST; -T sets its content type)",
        // oha
        "j": "write '-o json'",
        "no-tui": "hit draws its live view on stderr only on a terminal; -q turns it off",
    ]

    static func hint(for option: String) -> String? {
        let bare = option.drop { $0 == "-" }
        let name = String(bare.prefix { $0 != "=" })
        if let peer = peerOptions[name] { return peer }
        if option.hasPrefix("-"), !option.hasPrefix("--"), longNames.contains(name) {
            return "write '--\(bare)', with two dashes"
        }
        // A value glued to its flag (`-n5`, `-mPOST`), not another tool's long name with one dash
        // (`-disable-redirects` is no `-d isable-redirects`).
        if option.hasPrefix("-"), !option.hasPrefix("--"), option.count > 2, let flag = bare.first, shortWithValue.contains(flag) {
            let value = bare.dropFirst()
            let looksLikeAName = value.contains("-") && value.allSatisfy { $0.isLetter || $0 == "-" }
            let isNumber = value.first.map { $0.isNumber || $0 == "." } ?? false
            if shortWithNumber.contains(flag) ? isNumber : !looksLikeAName {
                return "write '-\(flag) \(UsageError.escaped(String(value)))', with the value as its own argument"
            }
        }
        return nil
    }

    /// RFC 9110's methods, and PATCH.
    static let standardMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// A note on stderr for a spelling that hit takes, but that means something else to another
    /// tool's users: wrk's and vegeta's `-d 30s` is a duration, hit's (as hey's and curl's) a body.
    /// And a standard method written in lower case (`get`, in a targets file or with -m): methods
    /// are case-sensitive, it is sent as written, and most servers refuse it.
    static func warnings(_ arguments: [String], methods: [String] = []) -> [String] {
        var notes: [String] = []
        var seen: Set<String> = []
        for method in methods where seen.insert(method).inserted && method != method.uppercased()
            && standardMethods.contains(method.uppercased()) {
            notes.append("hit: warning: the method '\(method)' is sent as written (methods are case-sensitive): "
                + "for the standard one write \(method.uppercased())\n")
        }
        for (flag, value) in zip(arguments, arguments.dropFirst()) where flag == "-d" || flag == "--data" {
            if value != "0", Duration(parsing: value) != nil {
                notes.append("hit: warning: -d '\(value)' is sent as the request body (as in hey and curl); for a duration write -z \(value)\n")
            }
        }
        return notes
    }
}
