import ArgumentParser
import FoundationEssentials

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

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No live progress line on stderr.")
    var quiet = false

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

    /// The extra JSON and CSV files, opened now for the same reason.
    func extraFiles(raw: RawArguments) throws(UsageError) -> (json: OutputFile?, csv: OutputFile?) {
        (try jsonFile.map { path throws(UsageError) in try OutputFile(path: path, flag: "--json-file", raw: raw) },
         try csvFile.map { path throws(UsageError) in try OutputFile(path: path, flag: "--csv-file", raw: raw) })
    }
}
