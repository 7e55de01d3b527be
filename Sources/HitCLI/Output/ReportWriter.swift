import Foundation
import Hit

/// Writes a finished run's report in the chosen format. CSV rows were written as they came; for
/// CSV this flushes them and says on stderr what CSV has no place for.
struct ReportWriter {
    let format: OutputFlags.Format
    let destination: FileHandle
    let stderr: FileHandle

    func write(_ summary: Summary, of loadTest: LoadTest, verdict: Verdict, csv: CSVWriter?) {
        switch format {
        case .text:
            let width = Terminal.width(of: destination)
            let targetNames = loadTest.targets.map { "\($0.method) \(Redaction.url($0.url))" }
            let report = TextReport(summary, targets: targetNames, width: width, verdict: verdict)
            try? destination.write(contentsOf: Data((report.description + "\n").utf8))
        case .json:
            try? destination.write(contentsOf: Data((JSONReport(summary, test: loadTest, verdict: verdict).encoded() + "\n").utf8))
        case .csv:
            csv?.flush()
            if summary.interrupted {
                // CSV has no place for a remark: the rows are the partial report, and this says so.
                stderr.write(Data("hit: interrupted: \(summary.completed) requests completed, \(summary.abandoned) in flight were aborted\n".utf8))
            }
            // Likewise the verdict, for a CSV run with rules.
            for result in verdict.thresholds where result.failed {
                stderr.write(Data("hit: --fail-if \(result.threshold.text) held: measured \(result.measuredText)\n".utf8))
            }
        }
    }
}
