/// Where and how a run pushes its metrics over OTLP/HTTP, as OpenTelemetry's standard variables
/// say it: `OTEL_EXPORTER_OTLP_ENDPOINT` (the base, to which `/v1/metrics` is added) or
/// `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` (the whole URL), `..._PROTOCOL` (`http/protobuf` or
/// `http/json`), `..._HEADERS` (whose values are secrets, never printed), `..._TIMEOUT` (ms),
/// `..._METRICS_TEMPORALITY_PREFERENCE`, `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`.
/// What the run is given (`--otlp-endpoint`, `--otlp-protocol`) wins over the variables.
public struct OTLPExport: Sendable, Equatable {
    /// The URL metrics are POSTed to, `.../v1/metrics`.
    public var url: String
    /// `Name: value` header lines.
    public var headers: [String] = []
    /// How long one push may take.
    public var timeout: Duration = .seconds(10)
    /// Delta temporality (each push covers the time since the last) instead of cumulative.
    public var delta = false
    /// Protobuf or JSON.
    public var encoding = Encoding.protobuf
    /// `service.name`: `OTEL_SERVICE_NAME`, else `OTEL_RESOURCE_ATTRIBUTES`' own, else `hit`.
    public var serviceName = "hit"
    /// `OTEL_RESOURCE_ATTRIBUTES`, in order.
    public var resourceAttributes: [String] = []

    /// How the request is encoded: OTLP/HTTP's `http/protobuf` or `http/json`.
    public enum Encoding: String, Sendable, CaseIterable {
        case protobuf = "http/protobuf"
        case json = "http/json"

        var contentType: String {
            switch self {
            case .protobuf: "application/x-protobuf"
            case .json: "application/json"
            }
        }
    }

    /// `resourceAttributes` as keys and values.
    var resourcePairs: [(key: String, value: String)] {
        resourceAttributes.compactMap { attribute in
            let parts = attribute.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }

    /// Why the settings cannot be used.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(url: String) {
        self.url = url
    }

    /// The settings the environment gives, with `endpoint` (a base URL) in place of its endpoint
    /// when given; `temporality` ("cumulative" or "delta") in place of its preference; `protocol`
    /// ("http/protobuf" or "http/json") in place of its protocol.
    public init(environment: [String: String], endpoint: String? = nil, temporality: String? = nil,
                protocol: String? = nil) throws(Problem) {
        let value: (String) -> String? = { name in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let name = `protocol` ?? value("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL") ?? value("OTEL_EXPORTER_OTLP_PROTOCOL") {
            guard let encoding = Encoding(rawValue: name) else {
                throw Problem(description: "OTLP over '\(name)' is not sent: hit sends http/protobuf or http/json")
            }
            self.encoding = encoding
        }
        if let endpoint {
            url = Self.metricsURL(base: endpoint)
        } else if let metrics = value("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") {
            url = metrics
        } else {
            url = Self.metricsURL(base: value("OTEL_EXPORTER_OTLP_ENDPOINT") ?? "http://localhost:4318")
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw Problem(description: "the OTLP endpoint '\(Redaction.url(url))' is not an http:// or https:// URL")
        }
        for name in ["OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_METRICS_HEADERS"] {
            guard let list = value(name) else { continue }
            for pair in try Self.pairs(list, name: name) { headers.append("\(pair.key): \(pair.value)") }
        }
        if let text = value("OTEL_EXPORTER_OTLP_METRICS_TIMEOUT") ?? value("OTEL_EXPORTER_OTLP_TIMEOUT") {
            guard let milliseconds = Int(text), milliseconds > 0 else {
                throw Problem(description: "OTEL_EXPORTER_OTLP_TIMEOUT '\(text)' is not a positive number of milliseconds")
            }
            timeout = .milliseconds(milliseconds)
        }
        let preference = temporality ?? value("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE")?.lowercased() ?? "cumulative"
        switch preference {
        case "cumulative": delta = false
        case "delta", "lowmemory": delta = true
        default: throw Problem(description: "the temporality '\(preference)' is not cumulative or delta")
        }
        if let list = value("OTEL_RESOURCE_ATTRIBUTES") {
            let pairs = try Self.pairs(list, name: "OTEL_RESOURCE_ATTRIBUTES")
            if let name = pairs.last(where: { $0.key == "service.name" })?.value { serviceName = name }
            resourceAttributes = pairs.filter { $0.key != "service.name" }.map { "\($0.key)=\($0.value)" }
        }
        if let name = value("OTEL_SERVICE_NAME") { serviceName = name }
    }

    /// `base` with `/v1/metrics` added (once).
    static func metricsURL(base: String) -> String {
        if base.hasSuffix("/v1/metrics") { return base }
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/metrics"
    }

    /// `key=value,key2=value2`, values percent-decoded (W3C Baggage's form, as the variables use).
    /// A malformed entry is named by its key alone: values may be secrets.
    static func pairs(_ list: String, name: String) throws(Problem) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for entry in list.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // Without an '=', the whole entry would be its key: a secret, never named.
            let key = parts.count == 2 ? String(parts[0]).trimmingSpaces() : ""
            guard parts.count == 2, !key.isEmpty, let value = String(parts[1]).trimmingSpaces().removingPercentEncoding() else {
                throw Problem(description: "\(name): an entry\(key.isEmpty ? "" : " '\(key)'") is not key=value")
            }
            guard !key.contains(where: { $0 == "\r" || $0 == "\n" || $0 == ":" }), !value.contains(where: { $0 == "\r" || $0 == "\n" }) else {
                throw Problem(description: "\(name): the entry '\(key)' holds a line break or a colon in its key")
            }
            pairs.append((key, value))
        }
        return pairs
    }
}

private extension String {
    func trimmingSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// `%XX` sequences decoded; `nil` when one is malformed or the bytes are not UTF-8.
    func removingPercentEncoding() -> String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                  let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
