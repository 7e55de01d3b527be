import ArgumentParser
import FoundationEssentials
import Hit

/// Where the report goes and in what form.
struct OutputFlags: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, csv
    }

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Report format: text, json (one document), or csv (one row per request, as each completes).", valueName: "format"))
    var format: Format = .text

    @Option(name: .customLong("output-file"), help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "path"))
    var outputFile: String?

    @Option(name: .customLong("json-file"),
            help: ArgumentHelp("Also write the JSON report to this file, whatever -o is: a readable log and an artifact from one run.", valueName: "path"))
    var jsonFile: String?

    @Option(name: .customLong("csv-file"),
            help: ArgumentHelp("Also write one CSV row per request to this file, whatever -o is.", valueName: "path"))
    var csvFile: String?

    @Option(name: .customLong("hlog"),
            help: ArgumentHelp("Also write an HdrHistogram interval log: one compressed latency histogram (µs) per interval, "
                + "as HdrHistogram's log readers and plotters read it. Under -rps, the corrected latency.", valueName: "path"))
    var hlogFile: String?

    @Option(name: .customLong("hgrm"),
            help: ArgumentHelp("Also write the latency percentile distribution (ms) as wrk2 prints it and HdrHistogram's plotter "
                + "and hdr-plot read it. Under -rps, the corrected latency.", valueName: "path"))
    var hgrmFile: String?

    @Option(name: .customLong("html"),
            help: ArgumentHelp("Also write a self-contained HTML report with charts (no request leaves the page). "
                + "'hit report RUN.json --html FILE' makes the same page from a saved JSON report.", valueName: "path"))
    var htmlFile: String?

    @Option(name: .customLong("interval"), parsing: .unconditional,
            help: ArgumentHelp("Length of each interval of the timeline (JSON, interval log, HTML report, live view), "
                + "from 10ms to 1h (default: 1s).", valueName: "duration"))
    var interval: String?

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No live view on stderr.")
    var quiet = false

    @Flag(name: .customLong("show-secrets"),
          help: ArgumentHelp("Keep secrets in the reports: the values of credential headers (Authorization, Cookie, X-Api-Key, ...), "
            + "passwords, URL tokens and secret query parameters, which are redacted by default."))
    var showSecrets = false

    /// `--interval`, parsed.
    func intervalLength() throws(UsageError) -> Duration {
        guard let interval else { return .seconds(1) }
        let length = try UsageError.duration(interval, flag: "--interval", examples: "500ms, 1s, 1m")
        // Named as written: 1ns would read back as 0µs.
        guard Options.intervals.contains(length) else { throw UsageError("--interval '\(UsageError.escaped(interval))' is not from 10ms to 1h") }
        return length
    }

    /// Whether the report a person reads is somewhere other than a text report on stdout, so that
    /// a verdict that did not pass must be explained on stderr.
    var reportIsMachineReadable: Bool {
        format != .text || outputFile != nil
    }

    /// The report's destination, opened now so that an unwritable path stops the run before it starts.
    func destination(stdout: TextStream, raw: RawArguments) throws(UsageError) -> OutputFile {
        guard let outputFile else { return OutputFile(standardOutput: stdout.descriptor) }
        return try OutputFile(path: outputFile, flag: "--output-file", raw: raw)
    }

    /// The extra files, opened now for the same reason.
    func extraFiles(raw: RawArguments) throws(UsageError) -> ExtraFiles {
        func open(_ path: String?, _ flag: String) throws(UsageError) -> OutputFile? {
            guard let path else { return nil }
            return try OutputFile(path: path, flag: flag, raw: raw)
        }
        return ExtraFiles(json: try open(jsonFile, "--json-file"), csv: try open(csvFile, "--csv-file"),
                          hlog: try open(hlogFile, "--hlog"), hgrm: try open(hgrmFile, "--hgrm"), html: try open(htmlFile, "--html"))
    }
}

/// The files written beside the report.
struct ExtraFiles {
    let json: OutputFile?
    let csv: OutputFile?
    let hlog: OutputFile?
    let hgrm: OutputFile?
    let html: OutputFile?

    var all: [OutputFile] { [json, csv, hlog, hgrm, html].compactMap { $0 } }
}
