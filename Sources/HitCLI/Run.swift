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
    /// sent. `cancellation` stops the run early (Ctrl-C); `onStart` is called once the arguments are
    /// accepted, before the wait for `--start-at` is announced and anything is sent; `onReport` once it has ended and its report is about to be written.
    static func run(arguments: [String], raw: RawArguments? = nil, stdout: TextStream = .standardOutput, stderr: TextStream = .standardError,
                    cancellation: CancellationToken = CancellationToken(),
                    onStart: () -> Void = {}, onReport: () -> Void = {}) -> ExitStatus {
        // `hit help ...`, `--help`, `--help-all`, `--version`: no URL is ever "help" either.
        switch Help.requested(by: arguments) {
        case .success(let text)?:
            stdout.write(text + "\n")
            return .success
        case .failure(let error)?:
            stderr.write(error.line)
            return .usage
        case nil:
            break
        }
        if arguments.first != "report", arguments.first != "merge", arguments.prefix(while: { $0 != "--" }).contains("--version") {
            stdout.write(ClientVersion.current.description + "\n")
            return .success
        }
        // `hit report ...`: no URL is ever "report" (a target is an absolute http(s) URL).
        if arguments.first == "report" {
            return report(arguments: Array(arguments.dropFirst()), raw: raw, stdout: stdout, stderr: stderr)
        }
        if arguments.first == "merge" {
            return merge(arguments: Array(arguments.dropFirst()), raw: raw, stdout: stdout, stderr: stderr)
        }
        let command: HitCommand
        let loadTest: LoadTest
        let thresholds: [Threshold]
        let destination: OutputFile
        let extra: ExtraFiles
        do {
            try PeerSpelling.check(arguments)
            command = try HitCommand.parse(arguments)
            Redaction.showsSecrets = command.output.showSecrets
            let raw = raw ?? RawArguments(arguments.map { Array($0.utf8) })
            loadTest = try command.loadTest(raw: raw)
            thresholds = try command.verdict.thresholds()
            if command.findMax.settingsWithoutSearch { throw UsageError("the --find-max-... settings need --find-max") }
            // Checked before any file is opened: a refused search creates no file.
            var search: CapacitySearch?
            if command.findMax.findMax {
                try command.findMax.checkOutputs(command.output)
                search = try command.findMax.search(for: loadTest, thresholds: thresholds, load: command.load)
            }
            try command.fileClash(standardOutput: stdout.descriptor).check(raw: raw)
            destination = try command.output.destination(stdout: stdout, raw: raw)
            extra = try command.output.extraFiles(raw: raw)
            for note in PeerSpelling.warnings(arguments, methods: loadTest.targets.map(\.method)) { stderr.write(note) }
            if let search {
                return runSearch(search, json: command.output.format == .json, destination: destination, extra: extra,
                                 configuration: JSONReport.configuration(of: loadTest), stderr: stderr,
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

        // From here a signal cancels the run and its report is printed: the wait for --start-at,
        // announced next, is part of the run.
        onStart()
        announceStart(of: loadTest, command: command, stderr: stderr)

        // The run stops on the caller's cancellation, or when a CSV reader goes away.
        let stop = CancellationToken()
        let forward = cancellation.onCancel { stop.cancel() }
        defer { cancellation.removeHandler(forward) }
        let urls = loadTest.targets.map(\.url)
        let secrets = loadTest.secrets()
        var csv: [CSVWriter] = []
        let csvFiles = [command.output.format == .csv ? destination : nil, extra.csv].compactMap { $0 }
        for file in csvFiles {
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
        // CSV rows on stdout to a terminal, or into a pipe whose reader may well print them there
        // (`| tee rows.csv`, `| cut -d, -f2`): the rows are the live view then.
        let csvOnTerminal = command.output.format == .csv && destination.isStandardOutput
            && (isatty(destination.descriptor) == 1 || Self.isPipe(destination.descriptor))
        let progress = ProgressLine.start(options: loadTest.options, quiet: command.output.quiet, csvOnTerminal: csvOnTerminal)
        var summary: Summary
        var certificate = UntrustedCertificate()
        do {
            summary = try loadTest.run(cancellation: stop, onResult: { result in
                if certificate.record(result) { stop.cancel() }
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
        // Stopped by its own output, not by a signal: the report says why.
        if summary.interrupted, !cancellation.isCancelled, let failed = csvFiles.first(where: { $0.failure != nil }) {
            summary.stopCause = failed.readerWentAway ? "the reader of the CSV rows went away"
                                                      : "the CSV rows could not be written to \(failed.name)"
        }
        if summary.interrupted, !cancellation.isCancelled, summary.stopCause == nil,
           certificate.failuresFromTheStart >= UntrustedCertificate.stopAfter {
            summary.stopCause = certificate.stopCause
            summary.stopFails = true
        }
        onReport()
        progress?.stop()
        if let note = certificate.note { stderr.write(note) }
        // A timer's wake-up on a busy machine is a millisecond or two; the report carries any lateness.
        if let late = summary.startedLate, late > .milliseconds(10), !summary.interrupted {
            stderr.write("hit: warning: started \(Formatting.duration(late)) after --start-at: the requests due by then went late\n")
        }
        let verdict = Verdict(summary, thresholds: thresholds)
        ReportWriter(output: command.output, destination: destination, extra: extra, stderr: stderr)
            .write(summary, of: loadTest, verdict: verdict, csv: csv)
        // A report that could not be written is never lost in silence.
        let failures = ([destination] + extra.all).compactMap { $0.failureLine }
        for line in failures { stderr.write(line) }
        return failures.isEmpty ? ExitStatus(verdict) : .ioError
    }

    /// Whether `descriptor` is a pipe (or a FIFO).
    static func isPipe(_ descriptor: Int32) -> Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO
    }

    /// Says on stderr which shard this is when the environment named it, and how long the run
    /// waits for --start-at (or that the instant has passed), or, for a shard without one, that
    /// the shards' timelines will not line up.
    static func announceStart(of loadTest: LoadTest, command: HitCommand, stderr: TextStream) {
        // Under -q only warnings: a shard's JSON names it, and its stdout may be collected with its stderr.
        if !command.output.quiet, let shard = loadTest.options.shard,
           let found = try? command.shards.shard(environment: ProcessInfo.processInfo.environment), let source = found.source {
            stderr.write("hit: shard \(shard.index) of \(shard.count), from \(source)\n")
        }
        guard let startAt = loadTest.options.startAt else {
            // Each shard then starts its schedule when its own process is ready.
            if let shard = loadTest.options.shard, shard.count > 1 {
                stderr.write("hit: warning: --shard \(shard.index)/\(shard.count) without --start-at: the shards' timelines "
                    + "will not line up: give every shard the same --start-at\n")
            }
            return
        }
        let ahead = startAt - WallClock.unixNanoseconds()
        let instant = WallClock.rfc3339(unixNanoseconds: startAt)
        if ahead < 0 {
            stderr.write("hit: warning: --start-at \(instant) passed \(Formatting.duration(.nanoseconds(-ahead))) ago: "
                + "the requests due since then go late\n")
        } else if !command.output.quiet {
            stderr.write("hit: waiting for --start-at \(instant) (in \(Formatting.duration(.nanoseconds(ahead))))\n")
        }
    }

    /// `hit merge SHARD.json...`: the merged report, judged as a run is, with a run's exit statuses.
    static func merge(arguments: [String], raw: RawArguments?, stdout: TextStream, stderr: TextStream) -> ExitStatus {
        let raw = raw ?? RawArguments(arguments.map { Array($0.utf8) })
        let command: MergeCommand
        let merged: ShardMerge
        let thresholds: [Threshold]
        let destination: OutputFile
        let extra: ExtraFiles
        do {
            command = try MergeCommand.parse(arguments)
            Redaction.showsSecrets = command.output.showSecrets
            thresholds = try command.verdict.thresholds()
            try command.fileClash(standardOutput: stdout.descriptor).check(raw: raw)
            merged = try command.merge(raw: raw)
            // Opened only once the merge is known to go through.
            destination = try command.output.destination(stdout: stdout, raw: raw)
            extra = try command.output.extraFiles(raw: raw)
        } catch let error as UsageError {
            stderr.write(UsageError(error.message, command: "hit merge").line)
            return .usage
        } catch {
            if MergeCommand.exitCode(for: error) == .success {
                stdout.write(MergeCommand.fullMessage(for: error) + "\n")
                return .success
            }
            stderr.write(UsageError(MergeCommand.message(for: error), command: "hit merge").line)
            return .usage
        }
        let summary = merged.summary
        let verdict = Verdict(summary, thresholds: thresholds)
        if let coverage = summary.shards, !coverage.isComplete {
            // A gate that reads only the exit status must not take a partial pass for a whole one.
            stderr.write("hit merge: warning: \(coverage.description): the verdict judges only the shards given\n")
        }
        if let coverage = summary.shards, coverage.unsynchronized {
            stderr.write("hit merge: warning: the shards started \(Formatting.duration(coverage.startsApart)) apart: "
                + "their timelines do not line up, and the merged rates span them all\n")
        }
        let configuration = merged.configuration
        let writer = ReportWriter(output: command.output, destination: destination, extra: extra, stderr: stderr)
        writer.write(summary, json: merged.report(verdict: verdict), paced: merged.paced, verdict: verdict) { width in
            TextReport(summary, configuration: configuration, width: width, verdict: verdict, colour: writer.colour)
        }
        let failures = ([destination] + extra.all).compactMap { $0.failureLine }
        for line in failures { stderr.write(line) }
        return failures.isEmpty ? ExitStatus(verdict) : .ioError
    }

    /// `hit report REPORT.json`: the saved report as text, as JSON, as HTML, judged again with `--fail-if`.
    static func report(arguments: [String], raw: RawArguments?, stdout: TextStream, stderr: TextStream) -> ExitStatus {
        let raw = raw ?? RawArguments(arguments.map { Array($0.utf8) })
        let command: ReportCommand
        let saved: ReportCommand.Saved
        let thresholds: [Threshold]
        let destination: OutputFile
        let extra: ExtraFiles
        do {
            command = try ReportCommand.parse(arguments)
            Redaction.showsSecrets = command.output.showSecrets
            thresholds = try command.verdict.thresholds()
            try command.fileClash(standardOutput: stdout.descriptor).check(raw: raw)
            saved = try command.saved(raw: raw)
            destination = try command.output.destination(stdout: stdout, raw: raw)
            extra = try command.output.extraFiles(raw: raw)
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
        // Asked only for files (--html, --json-file...), it writes those: the text goes to stdout
        // when nothing else was asked, or when -o or --output-file says where.
        let namesItsOutput = arguments.prefix(while: { $0 != "--" }).contains { $0 == "-o" || $0.hasPrefix("--output") || ($0.hasPrefix("-o") && !$0.hasPrefix("--")) }
        let printsReport = extra.all.isEmpty || namesItsOutput
        var status = ExitStatus.success
        switch saved {
        case .search(let document):
            if printsReport { destination.write((command.output.format == .json ? document.encoded() : document.text) + "\n") }
            extra.json?.write(document.encoded() + "\n")
            if let configuration = document.configuration {
                extra.html?.write(SearchReport.html(document.outcome, rules: document.rules, configuration: configuration))
            }
        case .run(let report):
            let summary: Summary
            do {
                summary = try Summary(report: report)
            } catch {
                stderr.write(UsageError("the report's figures do not add up: \(error)", command: "hit report").line)
                return .usage
            }
            // The rules given, or else those the run was given: its text shows the run's verdict.
            let judged = !thresholds.isEmpty
            let rules = judged ? thresholds : report.thresholds.compactMap { try? Threshold.parseList($0.rule) }.flatMap { $0 }
            let verdict = Verdict(summary, thresholds: rules)
            let json = judged ? JSONReport(summary, configuration: report.configuration, paced: report.pacing != nil, verdict: verdict)
                              : report
            var writer = ReportWriter(output: command.output, destination: destination, extra: extra, stderr: stderr)
            writer.writesDestination = printsReport
            writer.write(summary, json: json, paced: report.pacing != nil, verdict: verdict) { width in
                TextReport(summary, configuration: report.configuration, width: width, verdict: verdict, colour: writer.colour)
            }
            if judged { status = ExitStatus(verdict) }
        }
        let failures = ([destination] + extra.all).compactMap { $0.failureLine }
        for line in failures { stderr.write(line) }
        return failures.isEmpty ? status : .ioError
    }

    /// `--find-max`: the search, a row printed as each step ends (text), or the document at the end
    /// (JSON); `--json-file` and `--html` get the document and the curve's page at the end.
    static func runSearch(_ search: CapacitySearch, json: Bool, destination: OutputFile, extra: ExtraFiles,
                          configuration: JSONReport.Configuration, stderr: TextStream,
                          cancellation: CancellationToken, onStart: () -> Void, onReport: () -> Void) -> ExitStatus {
        onStart()
        if !json { destination.write(SearchReport.header(rules: search.thresholds) + "\n") }
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
        let document = SearchReport.json(outcome, rules: search.thresholds, configuration: configuration) + "\n"
        destination.write(json ? document : SearchReport.conclusion(outcome) + "\n")
        extra.json?.write(document)
        extra.html?.write(SearchReport.html(outcome, rules: search.thresholds, configuration: configuration))
        if let failure = ([destination] + extra.all).lazy.compactMap(\.failureLine).first {
            stderr.write(failure)
            return .ioError
        }
        if outcome.interrupted { return .interrupted }
        return outcome.maximumRate == nil ? .failure : .success
    }
}
