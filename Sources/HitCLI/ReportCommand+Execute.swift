import Hit

extension ReportCommand: ReadingCommand {
    static let invokedAs = "hit report"

    /// `hit report REPORT.json`: the saved report as text, as JSON, as HTML, judged again with `--fail-if`.
    static func execute(_ arguments: [String], in context: CommandContext) -> ExitStatus {
        let (stdout, stderr) = (context.stdout, context.stderr)
        let raw = context.raw ?? RawArguments(arguments.map { Array($0.utf8) })
        let parsed = prepareReading(arguments, raw: raw, stdout: stdout, stderr: stderr) { try $0.saved(raw: raw) }
        guard case .ready(let reading) = parsed else { return parsed.status }
        let (command, saved, thresholds, destination, extra) =
            (reading.command, reading.value, reading.thresholds, reading.destination, reading.extra)
        // Asked only for files (--html, --json-file...), it writes those: the text goes to stdout
        // when nothing else was asked, or when -o or --output-file says where.
        let namesItsOutput = arguments.prefix(while: { $0 != "--" })
            .contains { $0 == "-o" || $0.hasPrefix("--output") || ($0.hasPrefix("-o") && !$0.hasPrefix("--")) }
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
                stderr.write(UsageError("the report's figures do not add up: \(error)", command: invokedAs).line)
                return .usage
            }
            // The rules given, or else those the run was given: its text shows the run's verdict.
            let judged = !thresholds.isEmpty
            let rules = judged ? thresholds : report.thresholds.compactMap { try? Threshold.parseList($0.rule) }.flatMap { $0 }
            let verdict = Verdict(summary, thresholds: rules, targetNames: report.configuration.targets.map(\.name))
            let json = judged ? JSONReport(summary, configuration: report.configuration, paced: report.pacing != nil, verdict: verdict)
                              : report
            var writer = ReportWriter(output: command.output, destination: destination, extra: extra, stderr: stderr)
            writer.writesDestination = printsReport
            writer.write(summary, json: json, paced: report.pacing != nil, verdict: verdict) { width in
                TextReport(summary, configuration: report.configuration, width: width, verdict: verdict, colour: writer.colour)
            }
            if judged { status = ExitStatus(verdict) }
        }
        return CLI.ending(destination: destination, extra: extra, stderr: stderr, status: status)
    }
}
