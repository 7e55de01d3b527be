import Hit

/// A usage error: reported on one line, with a pointer to `--help`, and exit status 64.
struct UsageError: Error {
    let message: String
    /// The command it is about: `hit`, or `hit report`.
    let command: String

    init(_ message: String, command: String = "hit") {
        self.message = message
        self.command = command
    }

    /// The line hit prints on stderr for it: one line, whatever the values it quotes contain.
    var line: String { "\(command): \(Self.escaped(message)) (see '\(command) --help')\n" }

    /// `text` with control characters written as escapes (`\n`, `\r`, `\t`, `\0`, `\u{1B}`), so that
    /// a quoted value can neither break the line nor drive the terminal.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value): out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension UsageError {
    /// `text` as a duration (500ms, 10s, 1m30s), or the usage error that names `flag` and shows
    /// `examples`.
    static func duration(_ text: String, flag: String, examples: String) throws(UsageError) -> Duration {
        guard let parsed = Duration(parsing: text) else {
            throw UsageError("\(flag) '\(text)' is not a duration: use a number with a unit, e.g. \(examples)")
        }
        return parsed
    }
}
