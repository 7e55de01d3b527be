import ArgumentParser
import Foundation

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

    @Flag(name: [.customShort("q"), .customLong("quiet")], help: "No live progress line on stderr.")
    var quiet = false

    /// The report's destination, opened now so that an unwritable path stops the run before it starts.
    func destination(stdout: FileHandle) throws(UsageError) -> FileHandle {
        guard let outputFile else { return stdout }
        guard FileManager.default.createFile(atPath: outputFile, contents: nil),
              let handle = FileHandle(forWritingAtPath: outputFile)
        else {
            throw UsageError("--output-file '\(outputFile)' cannot be written")
        }
        return handle
    }
}
