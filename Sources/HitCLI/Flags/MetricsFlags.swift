import ArgumentParser
import FoundationEssentials
import Hit

/// `--otlp`, `--prometheus-remote-write`: the run's metrics pushed while it runs.
struct MetricsFlags: ParsableArguments {
    @Flag(name: .customLong("otlp"),
          help: ArgumentHelp("Push metrics over OTLP/HTTP while the run goes, to the collector the OTEL_EXPORTER_OTLP_* "
            + "variables name (default http://localhost:4318); a failing collector costs the run nothing."))
    var otlp = false

    @Option(name: .customLong("otlp-endpoint"), parsing: .unconditional,
            help: ArgumentHelp("The collector's base URL (metrics go to URL/v1/metrics); implies --otlp.", valueName: "url"))
    var endpoint: String?

    @Option(name: .customLong("otlp-protocol"), parsing: .unconditional,
            help: ArgumentHelp("http/protobuf (default) or http/json.", valueName: "protocol"))
    var otlpProtocol: String?

    @Option(name: .customLong("otlp-temporality"), parsing: .unconditional,
            help: ArgumentHelp("cumulative (default) or delta.", valueName: "temporality"))
    var temporality: String?

    @Option(name: .customLong("prometheus-remote-write"), parsing: .unconditional,
            help: ArgumentHelp("Push metrics to this Prometheus remote-write URL while the run goes (e.g. "
                + "http://prometheus:9090/api/v1/write), latencies as native histograms.", valueName: "url"))
    var remoteWrite: String?

    @Option(name: [.customLong("metrics-interval"), .customLong("otlp-interval")], parsing: .unconditional,
            help: ArgumentHelp("How often to push metrics (default: the timeline's --interval).", valueName: "duration"))
    var interval: String?

    /// Where the metrics go and how often, read from the flags and the environment; no
    /// destination without `--otlp` or `--prometheus-remote-write`.
    func destinations(environment: [String: String]) throws(UsageError) -> (destinations: [MetricsDestination], interval: Duration?) {
        var destinations: [MetricsDestination] = []
        if otlp || endpoint != nil {
            destinations.append(.otlp(try otlpExport(environment: environment)))
        } else if otlpProtocol != nil || temporality != nil {
            throw UsageError("--otlp-protocol and --otlp-temporality need --otlp")
        }
        if let remoteWrite {
            try Self.checkURL(remoteWrite, flag: "--prometheus-remote-write")
            destinations.append(.prometheusRemoteWrite(RemoteWriteExport(url: remoteWrite)))
        }
        guard let interval else { return (destinations, nil) }
        guard !destinations.isEmpty else { throw UsageError("--metrics-interval needs --otlp or --prometheus-remote-write") }
        guard let parsed = Duration(parsing: interval), parsed >= .milliseconds(100) else {
            throw UsageError("--metrics-interval '\(UsageError.escaped(interval))' is not a duration of 100ms or more")
        }
        return (destinations, parsed)
    }

    private func otlpExport(environment: [String: String]) throws(UsageError) -> OTLPExport {
        let export: OTLPExport
        do {
            export = try OTLPExport(environment: environment, endpoint: endpoint, temporality: temporality, protocol: otlpProtocol)
        } catch {
            throw UsageError("--otlp: \(error.description)")
        }
        if let endpoint { try Self.checkURL(endpoint, flag: "--otlp-endpoint") }
        return export
    }

    /// Refuses a receiver's URL that is not http:// or https://, naming `flag`, the URL's secrets
    /// left out.
    private static func checkURL(_ url: String, flag: String) throws(UsageError) {
        do {
            try Request.validate(url: url, schemes: ["http", "https"])
        } catch {
            throw UsageError("\(flag) '\(Redaction.url(url))': \(error)")
        }
    }
}
