import ArgumentParser
import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit

/// The `hit` command as a function: arguments in, report out, exit status back. `main.swift`
/// wires it to the process (signals, `exit`); tests call it in process.
enum CLI {
    /// Parses `arguments` (without the program name; `raw` holds their bytes as given), runs the load test they describe and writes
    /// its report. Usage errors print one line on `stderr` and return `.usage` before anything is
    /// sent. `cancellation` stops the run early (Ctrl-C); `onStart` is called just before the run
    /// starts, `onReport` once it has ended and its report is about to be written.
    static func run(arguments: [String], raw: RawArguments? = nil, stdout: TextStream = .standardOutput, stderr: TextStream = .standardError,
                    cancellation: CancellationToken = CancellationToken(),
                    onStart: () -> Void = {}, onReport: () -> Void = {}) -> ExitStatus {
        // `hit report ...`: no URL is ever "report" (a target is an absolute http(s) URL).
        if arguments.first == "report" {
            return report(arguments: Array(arguments.dropFirst()), raw: raw, stdout: stdout, stderr: stderr)
        }
        let command: HitCommand
        let loadTest: LoadTest
        let thresholds: [Threshold]
        let destination: OutputFile
        let extra: ExtraFiles
        do {
            try PeerSpelling.check(arguments)
            command = try HitCommand.parse(arguments)
            let raw = raw ?? RawArguments(arguments.map { Array($0.utf8) })
            loadTest = try command.loadTest(raw: raw)
            thresholds = try command.verdict.thresholds()
            destination = try command.output.destination(stdout: stdout, raw: raw)
            extra = try command.output.extraFiles(raw: raw)
            if command.findMax.settingsWithoutSearch { throw UsageError("the --find-max-... settings need --find-max") }
            if command.findMax.findMax {
                let search = try command.findMax.search(for: loadTest, thresholds: thresholds, load: command.load)
                return runSearch(search, json: command.output.format == .json, destination: destination, stderr: stderr,
                                 cancellation: cancellation, onStart: onStart, onReport: onReport)
            }
        } catch let error as UsageError {
            stderr.write(error.line)
            return .usage
        } catch {
            if HitCommand.exitCode(for: error) == .success {
                stdout.write(HitCommand.fullMessage(for: error) + "\n")  // --help, --version
                return .success
            }
            stderr.write(UsageError(PeerSpelling.message(for: error, arguments: arguments)).line)
            return .usage
        }

        // The run stops on the caller's cancellation, or when a CSV reader goes away.
        let stop = CancellationToken()
        let forward = cancellation.onCancel { stop.cancel() }
        defer { cancellation.removeHandler(forward) }
        let urls = loadTest.targets.map(\.url)
        let secrets = Redaction.secrets(of: loadTest)
        var csv: [CSVWriter] = []
        for file in [command.output.format == .csv ? destination : nil, extra.csv].compactMap({ $0 }) {
            csv.append(CSVWriter(output: { bytes in
                // A CSV nobody can take any more (a closed pipe, a full disk) stops the run: it would
                // only load the server for rows that go nowhere.
                guard file.write(bytes) else {
                    stop.cancel()
                    return false
                }
                return true
            }, targets: urls, secrets: secrets))
        }
        // Rows reach their file within a quarter of a second, even when results stop coming.
        let flusher = csv.isEmpty ? nil : DispatchSource.makeTimerSource(queue: DispatchQueue(label: "hit.csv"))
        flusher?.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        flusher?.setEventHandler { [csv] in csv.forEach { $0.flush() } }
        flusher?.resume()
        let csvOnTerminal = command.output.format == .csv && destination.isStandardOutput && isatty(destination.descriptor) == 1
        let progress = ProgressLine.start(options: loadTest.options, quiet: command.output.quiet, csvOnTerminal: csvOnTerminal)
        let summary: Summary
        onStart()
        do {
            summary = try loadTest.run(cancellation: stop, onResult: { result in
                progress?.record(result)
                for writer in csv { writer.write(result) }
            }, onInterval: { progress?.interval($0) })
        } catch {
            flusher?.cancel()
            progress?.stop()
            stderr.write("hit: \(error)\n")
            return .setup
        }
        flusher?.cancel()
        onReport()
        progress?.stop()
        let verdict = Verdict(summary, thresholds: thresholds)
        ReportWriter(output: command.output, destination: destination, extra: extra, stderr: stderr)
            .write(summary, of: loadTest, verdict: verdict, csv: csv)
        // A report that could not be written is never lost in silence.
        let failures = ([destination] + extra.all).compactMap { $0.failureLine }
        for line in failures { stderr.write(line) }
        return failures.isEmpty ? ExitStatus(verdict) : .ioError
    }

    /// `hit report RUN.json --html FILE`.
    static func report(arguments: [String], raw: RawArguments?, stdout: TextStream, stderr: TextStream) -> ExitStatus {
        let raw = raw ?? RawArguments(arguments.map { Array($0.utf8) })
        let command: ReportCommand
        let report: JSONReport
        let html: OutputFile
        do {
            command = try ReportCommand.parse(arguments)
            report = try command.report(raw: raw)
            html = try OutputFile(path: command.html, flag: "--html", raw: raw)
        } catch let error as UsageError {
            stderr.write(UsageError(error.message, command: "hit report").line)
            return .usage
        } catch {
            if ReportCommand.exitCode(for: error) == .success {
                stdout.write(ReportCommand.fullMessage(for: error) + "\n")
                return .success
            }
            stderr.write(UsageError(ReportCommand.message(for: error), command: "hit report").line)
            return .usage
        }
        html.write(HTMLReport(report).description)
        if let failure = html.failureLine {
            stderr.write(failure)
            return .ioError
        }
        return .success
    }

    /// `--find-max`: the search, a row printed as each step ends (text), or the document at the end (JSON).
    static func runSearch(_ search: CapacitySearch, json: Bool, destination: OutputFile, stderr: TextStream,
                          cancellation: CancellationToken, onStart: () -> Void, onReport: () -> Void) -> ExitStatus {
        if !json { destination.write(SearchReport.header(rules: search.thresholds) + "\n") }
        onStart()
        let outcome: CapacitySearch.Outcome
        do {
            outcome = try search.run(cancellation: cancellation) { step in
                if !json { destination.write(SearchReport.row(step) + "\n") }
            }
        } catch {
            stderr.write("hit: \(error)\n")
            return .setup
        }
        onReport()
        destination.write((json ? SearchReport.json(outcome, rules: search.thresholds) : SearchReport.conclusion(outcome)) + "\n")
        if let failure = destination.failureLine {
            stderr.write(failure)
            return .ioError
        }
        if outcome.interrupted { return .interrupted }
        return outcome.maximumRate == nil ? .failure : .success
    }
}
