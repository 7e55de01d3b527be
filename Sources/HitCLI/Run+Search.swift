import Hit

extension CLI {
    /// `--find-max`: the search, a row printed as each step ends (text), or the document at the end
    /// (JSON); `--json-file` and `--html` get the document and the curve's page at the end.
    static func runSearch(_ search: CapacitySearch, json: Bool, destination: OutputFile, extra: ExtraFiles,
                          configuration: RunConfiguration, stderr: TextStream,
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
