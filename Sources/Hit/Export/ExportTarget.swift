/// What a run's target gives its series: the method, the server's address and port, and what
/// tells it from the run's other targets (`hit.target`). Never its URL: a query may hold anything,
/// and every URL would be a series of its own.
struct ExportTarget: Sendable {
    let method: String
    let host: String
    let port: Int
    /// `hit.target`: the target's name; else, when the run has several targets, its method and
    /// path (numbered when two targets share them); `nil` for a run's only, unnamed target.
    let name: String?

    /// The targets of a run, each with attributes of its own: two targets whose series had the
    /// same attributes would be one series to a collector, and their points would clash.
    static func targets(_ requests: [Request]) -> [ExportTarget] {
        var seen: [String: Int] = [:]
        return requests.map { request in
            var target = ExportTarget(request)
            guard requests.count > 1 else { return target }
            let base = request.name ?? "\(request.method) \(request.parsedURL.path)"
            seen[base, default: 0] += 1
            let count = seen[base]!
            target = ExportTarget(method: target.method, host: target.host, port: target.port, name: count == 1 ? base : "\(base) #\(count)")
            return target
        }
    }

    init(method: String, host: String, port: Int, name: String?) {
        self.method = method
        self.host = host
        self.port = port
        self.name = name
    }

    /// `request`'s method, host (without an IPv6 address's brackets), port and name.
    init(_ request: Request) {
        let url = request.parsedURL
        var host = String(url.host)
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.init(method: request.method, host: host, port: url.port.flatMap { Int($0) } ?? (url.isHTTPS ? 443 : 80), name: request.name)
    }

    /// An attribute's value, as OTLP types it (Prometheus's labels are all strings).
    enum AttributeValue: Equatable {
        case string(String)
        case int(Int64)

        var text: String {
            switch self {
            case .string(let text): text
            case .int(let number): String(number)
            }
        }
    }

    /// The attributes of a series of `http.client.request.duration`, by OpenTelemetry's semantic
    /// conventions for HTTP clients: `http.request.method`, `server.address`, `server.port`,
    /// `http.response.status_code` or `error.type`, `network.protocol.version`, and `hit.target`
    /// when the target is named. A key of the overflow set has `otel.metric.overflow` alone.
    static func attributes(of key: MetricsRecorder.SeriesKey, targets: [ExportTarget]) -> [(String, AttributeValue)] {
        guard key.target >= 0, key.target < targets.count else { return [("otel.metric.overflow", .string("true"))] }
        let target = targets[key.target]
        var attributes: [(String, AttributeValue)] = [
            ("http.request.method", .string(target.method)), ("server.address", .string(target.host)),
            ("server.port", .int(Int64(target.port))),
        ]
        if key.error.isEmpty {
            attributes.append(("http.response.status_code", .int(Int64(key.status))))
        } else {
            attributes.append(("error.type", .string(key.error)))
        }
        if !key.version.isEmpty { attributes.append(("network.protocol.version", .string(key.version))) }
        if let name = target.name { attributes.append(("hit.target", .string(name))) }
        return attributes
    }
}
