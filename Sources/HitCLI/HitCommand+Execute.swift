import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit

extension HitCommand: Subcommand {
    static let invokedAs = "hit"

    static func checkBeforeParsing(_ arguments: [String]) throws(UsageError) {
        try PeerSpelling.check(arguments)
    }

    static func usageMessage(for error: any Error, arguments: [String]) -> String {
        PeerSpelling.message(for: error, arguments: arguments)
    }

    /// What a load test's arguments came to, checked before anything is sent: the test, its
    /// rules, where its reports go, and the capacity search, if one was asked for.
    struct Prepared {
        let command: HitCommand
        let loadTest: LoadTest
        let thresholds: [Threshold]
        let destination: OutputFile
        let extra: ExtraFiles
        let search: CapacitySearch?
        let baseline: BaselineFlags.Baseline?
        let metrics: (destinations: [MetricsDestination], interval: Duration?)
    }

    /// The arguments checked and the reports' files opened, or the usage error that stops it.
    func prepared(arguments: [String], raw: RawArguments?, stdout: TextStream, stderr: TextStream) throws -> Prepared {
        Redaction.showsSecrets = output.showSecrets
        let raw = raw ?? RawArguments(arguments.map { Array($0.utf8) })
        let loadTest = try loadTest(raw: raw)
        let thresholds = try verdict.thresholds(targets: loadTest.targets.map(\.name))
        if findMax.settingsWithoutSearch { throw UsageError("the --find-max-... settings need --find-max") }
        // Checked before any file is opened: a refused search creates no file.
        var search: CapacitySearch?
        if findMax.findMax {
            try findMax.checkOutputs(output)
            search = try findMax.search(for: loadTest, thresholds: thresholds, load: load)
        }
        if search != nil, baseline.baseline != nil { throw UsageError("--baseline compares a run: --find-max is a search of many") }
        let baseline = try self.baseline.read(raw: raw, configuration: loadTest.configuration)
        let metrics = try self.metrics.destinations(environment: ProcessEnvironment.variables)
        if search != nil, !metrics.destinations.isEmpty {
            throw UsageError("--otlp and --prometheus-remote-write push a run's metrics: --find-max is a search of many")
        }
        try fileClash(standardOutput: stdout.descriptor).check(raw: raw)
        let destination = try output.destination(stdout: stdout, raw: raw)
        let extra = try output.extraFiles(raw: raw)
        for note in PeerSpelling.warnings(arguments, methods: loadTest.targets.map(\.method)) { stderr.write(note) }
        return Prepared(command: self, loadTest: loadTest, thresholds: thresholds, destination: destination, extra: extra,
                        search: search, baseline: baseline, metrics: metrics)
    }

    /// `hit [options] URL...`: the load test, or the capacity search, the arguments describe.
    static func execute(_ arguments: [String], in context: CommandContext) -> ExitStatus {
        if arguments.prefix(while: { $0 != "--" }).contains("--version") {
            context.stdout.write(ClientVersion.current.description + "\n")
            return .success
        }
        let (raw, stdout, stderr) = (context.raw, context.stdout, context.stderr)
        let (cancellation, onStart, onReport) = (context.cancellation, context.onStart, context.onReport)
        let parsed = prepare(arguments, stdout: stdout, stderr: stderr) { command in
            try command.prepared(arguments: arguments, raw: raw, stdout: stdout, stderr: stderr)
        }
        guard case .ready(let run) = parsed else { return parsed.status }
        if let search = run.search {
            return CLI.runSearch(search, json: run.command.output.format == .json, destination: run.destination, extra: run.extra,
                                 configuration: run.loadTest.configuration, stderr: stderr,
                                 cancellation: cancellation, onStart: onStart, onReport: onReport)
        }
        // From here a signal cancels the run and its report is printed: the wait for --start-at,
        // announced next, is part of the run.
        onStart()
        run.command.announceStart(of: run.loadTest, stderr: stderr)
        return run.execute(stderr: stderr, cancellation: cancellation, onReport: onReport)
    }

    /// Says on stderr which shard this is when the environment named it, and how long the run
    /// waits for --start-at (or that the instant has passed), or, for a shard without one, that
    /// the shards' timelines will not line up.
    func announceStart(of loadTest: LoadTest, stderr: TextStream) {
        // Under -q only warnings: a shard's JSON names it, and its stdout may be collected with its stderr.
        if !output.quiet, let shard = loadTest.options.shard,
           let found = try? shards.shard(environment: ProcessEnvironment.variables), let source = found.source {
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
        } else if !output.quiet {
            stderr.write("hit: waiting for --start-at \(instant) (in \(Formatting.duration(.nanoseconds(ahead))))\n")
        }
    }
}

extension HitCommand.Prepared {
    /// Runs the load test, with its live view and CSV rows, and writes its reports.
    func execute(stderr: TextStream, cancellation: CancellationToken, onReport: () -> Void) -> ExitStatus {
        // The run stops on the caller's cancellation, when a CSV reader goes away, or when its
        // first requests all fail certificate verification; the reason goes with the stop.
        let stop = CancellationToken()
        let forward = cancellation.forward(to: stop)
        defer { cancellation.removeHandler(forward) }
        let output = command.output
        let csv = CSVOutputs(files: [output.format == .csv ? destination : nil, extra.csv].compactMap { $0 },
                             targets: loadTest.targets.map(\.url), secrets: loadTest.secrets(), stop: stop)
        let flusher = csv.flushingEveryQuarterSecond()
        // CSV rows on stdout to a terminal, or into a pipe whose reader may well print them there
        // (`| tee rows.csv`, `| cut -d, -f2`): the rows are the live view then.
        let csvOnTerminal = output.format == .csv && destination.isStandardOutput
            && (isatty(destination.descriptor) == 1 || CLI.isPipe(destination.descriptor))
        let progress = ProgressLine.start(options: loadTest.options, quiet: output.quiet, csvOnTerminal: csvOnTerminal)
        let exporter: MetricsExporter?
        do {
            exporter = metrics.destinations.isEmpty ? nil
                : try MetricsExporter(metrics.destinations, interval: metrics.interval, loadTest: loadTest) { stderr.write($0) }
        } catch {
            flusher?.cancel()
            progress?.stop()
            stderr.write("hit: \(error)\n")
            return .setup
        }
        exporter?.start()
        let summary: Summary
        var certificate = UntrustedCertificate()
        do {
            summary = try loadTest.run(cancellation: stop, onResult: { result in
                if certificate.record(result) { stop.cancel(because: .caller(cause: certificate.stopCause, fails: true)) }
                progress?.record(result)
                csv.write(result)
                exporter?.record(result)
            }, onInterval: { interval in
                progress?.interval(interval)
                exporter?.record(interval)
            })
        } catch {
            flusher?.cancel()
            progress?.stop()
            exporter?.finish(sent: 0, wait: .zero)
            stderr.write("hit: \(error)\n")
            return .setup
        }
        flusher?.cancel()
        onReport()
        progress?.stop()
        if let note = certificate.note { stderr.write(note) }
        // A timer's wake-up on a busy machine is a millisecond or two; the report carries any lateness.
        if let late = summary.startedLate, late > .milliseconds(10), !summary.interrupted {
            stderr.write("hit: warning: started \(Formatting.duration(late)) after --start-at: the requests due by then went late\n")
        }
        return report(summary, csv: csv, exporter: exporter, stderr: stderr)
    }

    /// Judges the run, writes its reports, compares it with a baseline and makes the last push of
    /// its metrics; the exit status.
    private func report(_ summary: Summary, csv: CSVOutputs, exporter: MetricsExporter?, stderr: TextStream) -> ExitStatus {
        let verdict = Verdict(summary, thresholds: thresholds, targetNames: loadTest.targets.map(\.name))
        let json = ReportWriter(output: command.output, destination: destination, extra: extra, stderr: stderr)
            .write(summary, of: loadTest, verdict: verdict, csv: csv.writers, keepingJSON: baseline != nil)
        var status = ExitStatus(verdict)
        if let baseline, let json, verdict.outcome == .passed { status = compare(json, with: baseline, stderr: stderr) }
        // The last push, whatever the run's outcome; a receiver that does not answer delays the
        // exit by at most 5 s (less after Ctrl-C), and changes nothing else.
        exporter?.finish(sent: summary.timeline.intervals.reduce(0) { $0 + $1.sent },
                         wait: min(metrics.destinations.map(\.timeout).max() ?? .zero, summary.interrupted ? .seconds(1) : .seconds(5)))
        return CLI.ending(destination: destination, extra: extra, stderr: stderr, status: status)
    }

    /// The run (its JSON report) compared with the baseline: the comparison after the text report,
    /// or its verdict on stderr under another format; the comparison's exit status.
    private func compare(_ run: JSONReport, with baseline: BaselineFlags.Baseline, stderr: TextStream) -> ExitStatus {
        let settings = CompareCommand.Settings(sides: ([baseline.name], ["this run"]), gates: baseline.gates, format: .text,
                                               inconclusivePasses: baseline.inconclusivePasses, limit: 0)
        switch CompareCommand.compare([[(baseline.name, baseline.report)], [("this run", run)]], settings: settings) {
        case .failure(let refusal):
            stderr.write("hit: --baseline: \(UsageError.escaped(refusal.message))\n")
            return .notComparable
        case .success(let report):
            if command.output.format == .text {
                destination.write("Compared with the baseline:\n" + report.text)
            } else {
                stderr.write("hit: compared with the baseline \(baseline.name): \(report.verdictLine.dropFirst("Verdict: ".count))\n")
            }
            return ExitStatus(report.comparison.outcome, inconclusivePasses: baseline.inconclusivePasses)
        }
    }
}
