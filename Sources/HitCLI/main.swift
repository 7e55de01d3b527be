import ArgumentParser
import Dispatch
import Foundation
import Hit

// A reader that goes away (`hit ... | head -1`) must not kill hit with SIGPIPE.
signal(SIGPIPE, SIG_IGN)
// Signals first: one that comes while the arguments are read cancels the run before it starts.
let interrupts = Interrupts()
let cancellation = interrupts.token

let command: HitCommand
let loadTest: LoadTest
let thresholds: [Threshold]
let destination: FileHandle
do {
    command = try HitCommand.parse(Array(CommandLine.arguments.dropFirst()))
    loadTest = try command.loadTest()
    thresholds = try command.verdict.thresholds()
    destination = try command.output.destination()
} catch let error as UsageError {
    UsageError.exit(error.message)
} catch {
    if HitCommand.exitCode(for: error) == .success {
        print(HitCommand.fullMessage(for: error))  // --help, --version
        exit(ExitStatus.success.rawValue)
    }
    UsageError.exit(HitCommand.message(for: error))
}

let targetNames = loadTest.targets.map { "\($0.method) \(Redaction.url($0.url))" }
let csv = command.output.format == .csv ? CSVWriter(output: destination, targets: loadTest.targets.map(\.url)) : nil
let progress = ProgressLine.start(options: loadTest.options, quiet: command.output.quiet)

let summary: Summary
do {
    summary = try loadTest.run(cancellation: cancellation) { result in
        progress?.record(result)
        csv?.write(result)
    }
} catch {
    progress?.stop()
    FileHandle.standardError.write(Data("hit: \(error)\n".utf8))
    exit(ExitStatus.setup.rawValue)
}
interrupts.beginReport()
progress?.stop()
let verdict = Verdict(summary, thresholds: thresholds)

switch command.output.format {
case .text:
    let width = Terminal.width(of: destination)
    try? destination.write(contentsOf: Data((TextReport(summary, targets: targetNames, width: width, verdict: verdict).description + "\n").utf8))
case .json:
    try? destination.write(contentsOf: Data((JSONReport(summary, test: loadTest, verdict: verdict).encoded() + "\n").utf8))
case .csv:
    csv?.flush()
    if summary.interrupted {
        // CSV has no place for a remark: the rows are the partial report, and this says so.
        FileHandle.standardError.write(Data("hit: interrupted: \(summary.completed) requests completed, \(summary.abandoned) in flight were aborted\n".utf8))
    }
    // Likewise the verdict, for a CSV run with rules.
    for result in verdict.thresholds where result.failed {
        FileHandle.standardError.write(Data("hit: --fail-if \(result.threshold.text) held: measured \(result.measuredText)\n".utf8))
    }
}

exit(ExitStatus(verdict).rawValue)
