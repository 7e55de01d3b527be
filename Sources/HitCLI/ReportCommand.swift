import ArgumentParser
import Hit

/// `hit report RUN.json --html FILE`: the HTML report of a saved JSON report, made later (in a
/// CI job that kept the JSON) exactly as `--html` makes it during a run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hit report",
        abstract: "Make the HTML report of a run from its saved JSON report (-o json or --json-file).",
        usage: "hit report <run.json> --html <path>"
    )

    @Argument(help: ArgumentHelp("A JSON report written by hit (version 3); - for standard input.", valueName: "run.json"))
    var input: String

    @Option(name: .customLong("html"), help: ArgumentHelp("Write the HTML report to this file.", valueName: "path"))
    var html: String

    @OptionGroup(title: "Input") var input_: ReportInputFlags

    @Flag(name: .customLong("show-secrets"),
          help: "Keep the secrets the report carries (header values, passwords, URL tokens); by default they are redacted again.")
    var showSecrets = false

    /// Reads the report, or says in one line why it cannot.
    func report(raw: RawArguments) throws(UsageError) -> JSONReport {
        try Self.read(input, flag: "", raw: raw, command: "hit report", limit: try input_.limit())
    }

    /// Reads the JSON report at `input` (- for standard input), at most `limit` bytes, checked as
    /// untrusted input (`JSONReport.decode(untrusted:)`), or says in one line why it cannot.
    static func read(_ input: String, flag: String, raw: RawArguments, command: String,
                     limit: Int = ReportInputFlags.defaultLimit) throws(UsageError) -> JSONReport {
        var files = Readable(raw: raw)
        let body: Body
        do {
            body = try files.body(input, flag: flag, limit: limit)
        } catch {
            let hint = error.message.hasSuffix("than \(limit) bytes") ? " (--max-input-size raises the limit)" : ""
            throw UsageError(error.message + hint, command: command)
        }
        let name = input == "-" ? "standard input" : "'\(UsageError.escaped(input))'"
        do {
            return try JSONReport.decode(untrusted: body.contents).redacted()
        } catch let error as JSONReport.Invalid {
            throw UsageError("\(name) is not a report hit reads: \(error.description)", command: command)
        } catch {
            throw UsageError("\(name) is not a JSON report of hit's (version \(JSONReport.schemaVersion)): "
                + Self.reason(error), command: command)
        }
    }

    /// The decoder's complaint, in a few words.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case DecodingError.dataCorrupted: "not valid JSON"
        default: "\(error)"
        }
    }
}
