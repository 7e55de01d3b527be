/// Where a run pushes its metrics while it runs: an OpenTelemetry collector over OTLP/HTTP, or a
/// Prometheus that takes remote write. A run may push to both.
public enum MetricsDestination: Sendable, Equatable {
    case otlp(OTLPExport)
    case prometheusRemoteWrite(RemoteWriteExport)

    /// The URL pushes go to.
    public var url: String {
        switch self {
        case .otlp(let export): export.url
        case .prometheusRemoteWrite(let export): export.url
        }
    }

    /// How long one push may take.
    public var timeout: Duration {
        switch self {
        case .otlp(let export): export.timeout
        case .prometheusRemoteWrite(let export): export.timeout
        }
    }
}

/// A Prometheus remote-write 1.0 endpoint (Prometheus's own is `/api/v1/write`, taken with
/// `--web.enable-remote-write-receiver`; native histograms need `--enable-feature=native-histograms`).
/// Mimir, Cortex, Thanos, VictoriaMetrics and Grafana Cloud take the same pushes.
public struct RemoteWriteExport: Sendable, Equatable {
    /// The URL pushes are POSTed to, whole.
    public var url: String
    /// `Name: value` header lines (whose values are never printed).
    public var headers: [String] = []
    /// How long one push may take.
    public var timeout: Duration = .seconds(10)

    public init(url: String) {
        self.url = url
    }
}
