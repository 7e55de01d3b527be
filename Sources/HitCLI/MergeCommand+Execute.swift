import Hit

extension MergeCommand: ReadingCommand {
    static let invokedAs = "hit merge"

    /// `hit merge SHARD.json...`: the merged report, judged as a run is, with a run's exit statuses.
    static func execute(_ arguments: [String], in context: CommandContext) -> ExitStatus {
        let (stdout, stderr) = (context.stdout, context.stderr)
        let raw = context.raw ?? RawArguments(arguments.map { Array($0.utf8) })
        // The outputs are opened only once the merge is known to go through.
        let parsed = prepareReading(arguments, raw: raw, stdout: stdout, stderr: stderr) { try $0.merge(raw: raw) }
        guard case .ready(let reading) = parsed else { return parsed.status }
        let (command, merged, thresholds, destination, extra) =
            (reading.command, reading.value, reading.thresholds, reading.destination, reading.extra)
        let summary = merged.summary
        let verdict = Verdict(summary, thresholds: thresholds, targetNames: merged.configuration.targets.map(\.name))
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
        return CLI.ending(destination: destination, extra: extra, stderr: stderr, status: ExitStatus(verdict))
    }
}
