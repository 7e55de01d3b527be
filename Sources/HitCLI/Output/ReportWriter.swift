import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit

/// Writes a finished run's report in the chosen format, and the extra JSON file if one was asked
/// for. CSV rows were written as they came; for CSV this flushes them. When the report is meant
/// for a machine (`-o json`, `-o csv`, `--output-file`), a verdict that did not pass is explained
/// in one line on stderr, so that a CI log never shows a bare exit status.
struct ReportWriter {
    let output: OutputFlags
    let destination: OutputFile
    let extra: ExtraFiles
    let stderr: TextStream
    /// Whether the report goes to `destination`; `hit report` asked only for files writes only those.
    var writesDestination = true

    /// Returns the run's JSON report when `keepingJSON` (a comparison with a baseline needs it).
    /// The JSON report is built only when something uses it: for a text report it is not.
    @discardableResult
    func write(_ summary: Summary, of loadTest: LoadTest, verdict: Verdict, csv: [CSVWriter], keepingJSON: Bool = false) -> JSONReport? {
        csv.forEach { $0.flush() }
        let configuration = loadTest.configuration
        let targetNames = configuration.targets.map(\.label)
        let proxy = loadTest.targets.first.flatMap { loadTest.client.proxy(for: $0.url, environment: ProcessEnvironment.variables) }
        let paced = loadTest.options.schedule != nil
        let makeJSON = { JSONReport(summary, configuration: configuration, paced: paced, verdict: verdict) }
        let kept = keepingJSON ? makeJSON() : nil
        write(summary, json: kept ?? makeJSON(), paced: paced, verdict: verdict) { width in
            TextReport(summary, targets: targetNames, width: width, verdict: verdict, proxy: proxy,
                       httpVersion: loadTest.client.httpVersion, stages: loadTest.options.stages,
                       stagesStart: loadTest.options.rate ?? 0, rampUp: loadTest.options.rampUp, colour: colour)
        }
        return kept
    }

    /// Whether the text report is coloured: on a terminal that takes colour.
    var colour: Bool { output.format == .text && Terminal.takesColour(destination.descriptor) }

    /// Writes the report of `summary` (a run, or a merge of shards), whose JSON form is `json`,
    /// and its text form for a width `text(width)`.
    /// `json` is evaluated once, and only if a format or a file asks for it.
    func write(_ summary: Summary, json makeJSON: @autoclosure () -> JSONReport, paced: Bool, verdict: Verdict,
               text: (Int) -> TextReport) {
        var made: JSONReport?
        func json() -> JSONReport {
            if let made { return made }
            let json = makeJSON()
            made = json
            return json
        }
        switch output.format {
        case .text where writesDestination:
            destination.write(text(Terminal.width(of: destination.descriptor)).description + "\n")
        case .json where writesDestination:
            destination.write(json().encoded() + "\n")
        case .text, .json, .csv:
            break
        }
        extra.json?.write(json().encoded() + "\n")
        extra.hlog?.write(IntervalLog(summary.timeline, corrected: paced).description)
        extra.hgrm?.write((paced ? summary.correctedLatency : summary.latency).percentileDistribution)
        if let html = extra.html { html.write(HTMLReport(json()).description) }
        if output.reportIsMachineReadable, verdict.outcome != .passed {
            let outcome = verdict.outcome == .failed ? "FAIL" : summary.stopCause != nil ? "stopped" : verdict.outcome.rawValue
            stderr.write("hit: \(outcome): \(Self.oneLine(verdict.reason))\n")
        }
    }

    /// `text` on one line, whatever a server put in an error message.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}
