/// Whether two runs can be compared at all, decided before any statistics: the same requests
/// under the same load, each run's latencies describing the server (not a generator that fell
/// behind), and what differs on the machines that sent them.
public enum Comparability {
    /// What makes `other`'s run another experiment than `base`'s, in one line; `nil` when they
    /// asked for the same: targets (method, URL, name, weight), body, headers, load model (count,
    /// duration, rate, stages, concurrency), HTTP version, templating.
    public static func difference(_ a: RunConfiguration, _ b: RunConfiguration) -> String? {
        let targets: (RunConfiguration) -> [String] = { $0.targets.map { "\($0.method) \($0.url)" } }
        if targets(a) != targets(b) {
            return "other targets: " + describe(targets(a).joined(separator: ", ")) + " against " + describe(targets(b).joined(separator: ", "))
        }
        if a.targets.map(\.name) != b.targets.map(\.name) || a.targets.map(\.weight) != b.targets.map(\.weight) {
            return "the targets' names or weights differ"
        }
        if a.bodyBytes != b.bodyBytes { return "another body: \(a.bodyBytes.map { "\($0) bytes" } ?? "none") against \(b.bodyBytes.map { "\($0) bytes" } ?? "none")" }
        if a.headers != b.headers { return "other headers" }
        if a.http != b.http { return "another HTTP version: \(a.http.rawValue) against \(b.http.rawValue)" }
        if a.rate != b.rate { return "another rate: \(rate(a.rate)) against \(rate(b.rate))" }
        if a.stages.map(\.targetRate) != b.stages.map(\.targetRate) || a.stages.map(\.durationUs) != b.stages.map(\.durationUs) {
            return "other stages"
        }
        if a.concurrency != b.concurrency { return "another concurrency: -c \(a.concurrency) against -c \(b.concurrency)" }
        if a.requests != b.requests {
            return "another request count: \(a.requests.map(String.init) ?? "none") against \(b.requests.map(String.init) ?? "none")"
        }
        if a.durationUs != b.durationUs {
            return "another duration: \(a.durationUs.map { Formatting.duration(.microseconds($0)) } ?? "none") against "
                + "\(b.durationUs.map { Formatting.duration(.microseconds($0)) } ?? "none")"
        }
        if a.keepAlive != b.keepAlive { return "keep-alive in one run and not in the other" }
        if a.templating?.seed != b.templating?.seed || a.templating?.feedRows != b.templating?.feedRows { return "other templates or feeds" }
        if a.connectionsPerOrigin != b.connectionsPerOrigin || a.streamsPerConnection != b.streamsPerConnection {
            return "other --connections or --streams"
        }
        return nil
    }

    /// Why `report`'s latencies describe hit rather than the server, if they do: it was
    /// interrupted, it dropped requests, it sent below 95% of a constant rate, it sent more than
    /// 10% of them late (beyond `pacing.lateAfterUs`), or hit's own event loop was the limit.
    public static func unfit(_ report: JSONReport) -> String? {
        if report.interrupted { return "it was interrupted" }
        if let pacing = report.pacing {
            if pacing.dropped > 0 { return "it dropped \(pacing.dropped) requests: it did not keep its schedule" }
            if report.configuration.stages.isEmpty, let achieved = pacing.achievedRate, achieved < 0.95 * pacing.rate {
                return "it sent \(Formatting.trimmedNumber((achieved * 10).rounded() / 10))/s of the \(Formatting.trimmedNumber(pacing.rate))/s asked"
            }
            let sent = max(1, report.summary.started)
            if Double(pacing.late) / Double(sent) > Self.lateShare {
                return "\(pacing.late) of \(sent) requests were sent late: it did not keep its schedule"
            }
        }
        if report.generator?.saturated == true { return "hit's own event loop was the limit (saturated)" }
        return nil
    }

    /// The share of a run's requests that may be sent late (beyond `pacing.lateAfterUs`, 1 ms)
    /// before its schedule is said not to have been kept.
    public static let lateShare = 0.10

    /// What differs between the machines or builds that made the runs: worth a warning, not a refusal.
    public static func warnings(_ base: JSONReport, _ other: JSONReport) -> [String] {
        guard let a = base.client, let b = other.client else { return [] }
        var warnings: [String] = []
        if a.hitVersion != b.hitVersion { warnings.append("hit \(a.hitVersion) against hit \(b.hitVersion)") }
        if a.libcurl != b.libcurl || a.tls != b.tls {
            warnings.append("libcurl \(a.libcurl) (\(a.tls ?? "no TLS")) against libcurl \(b.libcurl) (\(b.tls ?? "no TLS"))")
        }
        if let x = a.cpus, let y = b.cpus, x != y { warnings.append("\(x) CPUs against \(y)") }
        if let x = a.kernel, let y = b.kernel, x != y { warnings.append("kernel \(x) against \(y)") }
        return warnings
    }

    private static func rate(_ rate: Double?) -> String {
        rate.map { "-rps " + Formatting.trimmedNumber($0) } ?? "unpaced"
    }

    private static func describe(_ text: String) -> String {
        text.count > 120 ? String(text.prefix(117)) + "..." : text
    }
}
