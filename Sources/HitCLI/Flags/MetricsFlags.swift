import ArgumentParser
import FoundationEssentials
import Hit

/// `--otlp`: the run's metrics pushed over OTLP/HTTP while it runs.
struct MetricsFlags: ParsableArguments {
    @Flag(name: .customLong("otlp"),
          help: ArgumentHelp("Push metrics over OTLP/HTTP (protobuf) while the run goes, to the collector the OTEL_EXPORTER_OTLP_* "
            + "variables name (default http://localhost:4318); a failing collector costs the run nothing."))
    var otlp = false

    @Option(name: .customLong("otlp-endpoint"), parsing: .unconditional,
            help: ArgumentHelp("The collector's base URL (metrics go to URL/v1/metrics); implies --otlp.", valueName: "url"))
    var endpoint: String?

    @Option(name: .customLong("otlp-interval"), parsing: .unconditional,
            help: ArgumentHelp("How often to push (default: the timeline's --interval).", valueName: "duration"))
    var interval: String?

    @Option(name: .customLong("otlp-temporality"), parsing: .unconditional,
            help: ArgumentHelp("cumulative (default) or delta.", valueName: "temporality"))
    var temporality: String?

    /// The export asked for, read from the flags and the environment; `nil` without `--otlp`.
    func export(environment: [String: String]) throws(UsageError) -> OTLPExport? {
        guard otlp || endpoint != nil else {
            if interval != nil || temporality != nil { throw UsageError("--otlp-interval and --otlp-temporality need --otlp") }
            return nil
        }
        var export: OTLPExport
        do {
            export = try OTLPExport(environment: environment, endpoint: endpoint, temporality: temporality)
        } catch {
            throw UsageError("--otlp: \(error.description)")
        }
        if let endpoint {
            do {
                try Request.validate(url: endpoint, schemes: ["http", "https"])
            } catch {
                throw UsageError("--otlp-endpoint '\(Redaction.url(endpoint))': \(error)")
            }
        }
        if let interval {
            guard let parsed = Duration(parsing: interval), parsed >= .milliseconds(100) else {
                throw UsageError("--otlp-interval '\(UsageError.escaped(interval))' is not a duration of 100ms or more")
            }
            export.interval = parsed
        }
        return export
    }
}
