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

    /// Reads the report, or says in one line why it cannot.
    func report(raw: RawArguments) throws(UsageError) -> JSONReport {
        try Self.read(input, flag: "", raw: raw, command: "hit report")
    }

    /// Reads the JSON report at `input` (- for standard input), or says in one line why it cannot.
    static func read(_ input: String, flag: String, raw: RawArguments, command: String) throws(UsageError) -> JSONReport {
        var files = Readable(raw: raw)
        let body: Body
        do {
            body = try files.body(input, flag: flag, limit: 1 << 30)
        } catch {
            throw UsageError(error.message, command: command)
        }
        do {
            let report = try JSONReport.decode(body.contents)
            guard report.version == JSONReport.schemaVersion else {
                throw UsageError("'\(UsageError.escaped(input))' is a version \(report.version) JSON report; this hit reads version \(JSONReport.schemaVersion)",
                                 command: command)
            }
            return report
        } catch let error as UsageError {
            throw error
        } catch {
            throw UsageError("'\(UsageError.escaped(input))' is not a JSON report of hit's (version \(JSONReport.schemaVersion)): "
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
