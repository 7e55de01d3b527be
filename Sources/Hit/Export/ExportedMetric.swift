/// The metrics a run exports, by OpenTelemetry's names and units; Prometheus's names are derived
/// from them as OpenTelemetry's compatibility rules say (`prometheusName`). The one list both
/// formats take their names, units and descriptions from.
enum ExportedMetric: CaseIterable {
    /// `http.client.request.duration` (s), per target, status or error, and HTTP version.
    case duration
    /// `hit.client.request.corrected_duration` (s): under a rate, from each request's due time.
    case correctedDuration
    /// `hit.request.lateness` (s): under a rate, how late each request was sent.
    case lateness
    /// `hit.phase.duration` (s), per `hit.phase`.
    case phaseDuration
    /// `hit.requests.sent`, a counter.
    case sent
    /// `hit.requests.completed`, a counter.
    case completed
    /// `hit.requests.in_flight`, a gauge.
    case inFlight

    enum Kind {
        case histogram, counter, gauge
    }

    var name: String {
        switch self {
        case .duration: "http.client.request.duration"
        case .correctedDuration: "hit.client.request.corrected_duration"
        case .lateness: "hit.request.lateness"
        case .phaseDuration: "hit.phase.duration"
        case .sent: "hit.requests.sent"
        case .completed: "hit.requests.completed"
        case .inFlight: "hit.requests.in_flight"
        }
    }

    var description: String {
        switch self {
        case .duration: "Duration of HTTP client requests."
        case .correctedDuration: "Duration of HTTP client requests from their due time under a rate (corrected for coordinated omission)."
        case .lateness: "How late each request was sent after its due time."
        case .phaseDuration: "Duration of each phase of a request, by libcurl's timers."
        case .sent: "Requests written to their connection."
        case .completed: "Requests that ended with a response or an error."
        case .inFlight: "Requests written and not yet ended."
        }
    }

    var unit: String {
        switch kind {
        case .histogram: "s"
        case .counter, .gauge: "{request}"
        }
    }

    var kind: Kind {
        switch self {
        case .duration, .correctedDuration, .lateness, .phaseDuration: .histogram
        case .sent, .completed: .counter
        case .inFlight: .gauge
        }
    }

    /// The Prometheus name: dots to underscores, `_seconds` for a unit of seconds, `_total` for a
    /// counter (`http_client_request_duration_seconds`, `hit_requests_sent_total`).
    var prometheusName: String {
        var name = Self.prometheusLabel(self.name)
        if unit == "s" { name += "_seconds" }
        if kind == .counter { name += "_total" }
        return name
    }

    /// An attribute's key as a Prometheus label: every character outside `[a-zA-Z0-9_]` becomes
    /// `_`, and a leading digit gets a `key_` prefix.
    static func prometheusLabel(_ key: String) -> String {
        let mapped = String(key.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "_") ? character : "_"
        })
        return mapped.first?.isNumber == true ? "key_" + mapped : mapped
    }
}
