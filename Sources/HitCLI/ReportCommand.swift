import ArgumentParser
import Hit

/// `hit report REPORT.json`: a saved JSON report (a run's, a merge's or a capacity search's) as
/// hit printed it, as JSON again, or as its HTML page, made later (in a CI job that kept the JSON)
/// exactly as the run would have made them; `--fail-if` judges the saved run again, with a run's
/// exit statuses.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a saved JSON report (-o json or --json-file, a merge's, a capacity search's) as text or JSON, "
            + "draw its HTML page, or judge it again.",
        usage: "hit report <report.json> [-o text|json] [--html <path>] [--json-file <path>] [--hlog <path>] [--hgrm <path>] "
            + "[--fail-if <rule>]",
        discussion: """
            Without --fail-if the text report shows the verdict of the rules the run was given, and hit report exits 0 \
            once it has written what was asked. With --fail-if the saved run is judged by those rules instead and hit \
            report exits as the run would have (1 when a rule holds). A capacity search's document prints its table and \
            conclusion, or draws its curve with --html.
            """
    )

    @Argument(help: ArgumentHelp("A JSON report written by hit (version 3); - for standard input.", valueName: "report.json"))
    var given: String?

    /// The report to read. Optional for the parser only, so that `hit report --bogus` is called
    /// an unknown option rather than a missing report.
    var input: String {
        get throws(UsageError) {
            guard let given else { throw UsageError("missing the JSON report to read (a file, or - for standard input)") }
            return given
        }
    }

    @OptionGroup(title: "Input") var input_: ReportInputFlags
    @OptionGroup(title: "Output") var output: OutputFlags
    @OptionGroup(title: "Verdict") var verdict: VerdictFlags

    /// A saved report of either kind.
    enum Saved {
        case run(JSONReport)
        case search(SearchReport.Document)
    }

    /// Reads the report, or says in one line why it cannot, and refuses what does not apply to it.
    func saved(raw: RawArguments) throws(UsageError) -> Saved {
        let input = try self.input
        if output.format == .csv || output.csvFile != nil { throw UsageError("a saved report has no rows: -o csv and --csv-file do not apply") }
        if output.interval != nil { throw UsageError("a saved report keeps its intervals: --interval does not apply") }
        let body = try Self.body(input, raw: raw, command: "hit report", limit: try input_.limit())
        guard SearchReport.Document.isSearch(body.contents) else {
            let report = try Self.decode(body.contents, name: Self.name(of: input), command: "hit report")
            _ = try verdict.thresholds(targets: report.configuration.targets.map(\.name))
            return .run(report)
        }
        if output.hlogFile != nil || output.hgrmFile != nil {
            throw UsageError("a capacity search's document keeps no histograms: --hlog and --hgrm do not apply")
        }
        if !verdict.failIf.isEmpty { throw UsageError("a capacity search judged its rules at each step: --fail-if does not apply") }
        let document: SearchReport.Document
        do {
            document = try SearchReport.Document.decode(untrusted: body.contents).redacted()
        } catch let error as JSONReport.Invalid {
            throw UsageError("\(Self.name(of: input)) is not a report hit reads: \(error.description)")
        } catch {
            throw UsageError("\(Self.name(of: input)) is not a capacity search's JSON document (version \(JSONReport.schemaVersion)): "
                + Self.reason(error))
        }
        if output.htmlFile != nil, document.configuration == nil {
            throw UsageError("\(Self.name(of: input)) was written before a search recorded its configuration: run the search "
                + "again for its HTML page")
        }
        return .search(document)
    }

    /// Reads the JSON report at `input` (- for standard input), at most `limit` bytes, checked as
    /// untrusted input (`JSONReport.decode(untrusted:)`), or says in one line why it cannot.
    static func read(_ input: String, flag: String, raw: RawArguments, command: String,
                     limit: Int = ReportInputFlags.defaultLimit) throws(UsageError) -> JSONReport {
        try decode(try body(input, flag: flag, raw: raw, command: command, limit: limit).contents, name: name(of: input), command: command)
    }

    /// The bytes at `input` (- for standard input), at most `limit` of them.
    static func body(_ input: String, flag: String = "", raw: RawArguments, command: String, limit: Int) throws(UsageError) -> Body {
        var files = Readable(raw: raw)
        do {
            return try files.body(input, flag: flag, limit: limit)
        } catch {
            let hint = error.message.hasSuffix("than \(limit) bytes") ? " (--max-input-size raises the limit)" : ""
            throw UsageError(error.message + hint, command: command)
        }
    }

    static func name(of input: String) -> String {
        input == "-" ? "standard input" : "'\(UsageError.escaped(input))'"
    }

    /// A run's report, checked as untrusted input, its secrets redacted again.
    static func decode(_ contents: [UInt8], name: String, command: String) throws(UsageError) -> JSONReport {
        // `hit report` reads a capacity search's document before this; every other reader wants a run.
        if SearchReport.Document.isSearch(contents) {
            throw UsageError("\(name) is a capacity search's document (--find-max), not a run's report: hit report prints it",
                             command: command)
        }
        do {
            return try JSONReport.decode(untrusted: contents).redacted()
        } catch let error as JSONReport.Invalid {
            throw UsageError("\(name) is not a report hit reads: \(error.description)", command: command)
        } catch {
            throw UsageError("\(name) is not a JSON report of hit's (version \(JSONReport.schemaVersion)): "
                + Self.reason(error), command: command)
        }
    }

    /// Where in the document the decoder complained: `configuration.stages.0.startUs`.
    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    /// The decoder's complaint, in a few words.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "wrong value at '\(path(context))'"
        // A value the field cannot hold (an HTTP version other than "1.1" or "2"), or broken JSON.
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty: "wrong value at '\(path(context))'"
        case DecodingError.dataCorrupted: "not valid JSON"
        default: "\(error)"
        }
    }
}
