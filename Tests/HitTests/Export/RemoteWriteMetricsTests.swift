#if canImport(Glibc)
import Glibc
#endif
@testable import Hit
import Testing

/// Prometheus's names, and native histograms' spans and deltas, from closed forms.
@Suite struct RemoteWriteMetricsTests {
    @Test func namesFollowOpenTelemetrysPrometheusRules() {
        #expect(ExportedMetric.duration.prometheusName == "http_client_request_duration_seconds")
        #expect(ExportedMetric.sent.prometheusName == "hit_requests_sent_total")
        #expect(ExportedMetric.inFlight.prometheusName == "hit_requests_in_flight")
        #expect(ExportedMetric.phaseDuration.prometheusName == "hit_phase_duration_seconds")
        #expect(ExportedMetric.prometheusLabel("http.response.status_code") == "http_response_status_code")
        #expect(ExportedMetric.prometheusLabel("deployment-env") == "deployment_env")
        #expect(ExportedMetric.prometheusLabel("9lives") == "key_9lives")
        #expect(Set(ExportedMetric.allCases.map(\.prometheusName)).count == ExportedMetric.allCases.count)
    }

    @Test func spansSkipLongGapsAndDeltasChainTheCounts() {
        // OpenTelemetry's buckets -3...2 hold 1, 0, 2, 0, 0, 5: Prometheus's indices are one more,
        // -2...3. A gap of one empty bucket stays in its span (as a zero), a gap of two starts a new
        // span two buckets on.
        let buckets = ExponentialBuckets(scale: 3, offset: -3, counts: [1, 0, 2, 0, 0, 5])
        let (spans, deltas) = RemoteWriteMetrics.spans(buckets)
        #expect(spans.map(\.offset) == [-2, 2])
        #expect(spans.map(\.length) == [3, 1])
        #expect(deltas == [1, -1, 2, 3])
        // Expanding the spans and summing the deltas gives the counts back, at their indices.
        var counts: [Int: Int64] = [:]
        var index = 0, count: Int64 = 0, delta = 0
        for (number, span) in spans.enumerated() {
            index = number == 0 ? span.offset : index + span.offset
            for _ in 0..<span.length {
                count += deltas[delta]
                delta += 1
                counts[index] = count
                index += 1
            }
        }
        #expect(counts.filter { $0.value > 0 } == [-2: 1, 0: 2, 3: 5])
    }

    @Test func anEmptyHistogramHasNoSpans() {
        let (spans, deltas) = RemoteWriteMetrics.spans(ExponentialBuckets(scale: 0, offset: 0, counts: []))
        #expect(spans.isEmpty && deltas.isEmpty)
    }

    /// A value's Prometheus bucket holds it: (2^((i-1)/2^s), 2^(i/2^s)].
    @Test(arguments: [0.000_123, 0.001, 0.0042, 0.25, 1.0, 3.7])
    func prometheusBucketsHoldTheirValues(seconds: Double) {
        let microseconds = UInt64((seconds * 1e6).rounded())
        let buckets = ExponentialBuckets(microseconds: [HdrHistogramV2.Bucket(value: microseconds, count: 1)],
                                         maximumScale: RemoteWriteMetrics.maximumSchema)
        #expect(buckets.scale == RemoteWriteMetrics.maximumSchema)
        let (spans, _) = RemoteWriteMetrics.spans(buckets)
        let index = Double(spans[0].offset), base = pow(2, pow(2, -Double(buckets.scale)))
        let value = Double(microseconds) / 1e6
        #expect(pow(base, index - 1) < value && value <= pow(base, index) * (1 + 1e-12))
    }
}
