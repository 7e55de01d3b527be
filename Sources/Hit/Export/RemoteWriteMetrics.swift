/// hit's metrics as a Prometheus remote-write 1.0 `WriteRequest` (prompb's `types.proto` and
/// `remote.proto`), protobuf-encoded, before snappy: the same metrics as OTLP's
/// (`ExportedMetric`), by Prometheus's names, latencies as native histograms.
///
/// OpenTelemetry's base-2 exponential scale is the native histograms' schema, capped at 8 (the
/// finest Prometheus takes). Their bucket indices differ by one: OpenTelemetry's bucket i ends at
/// base^(i+1), Prometheus's at base^i. Counts are always cumulative, as Prometheus wants them: a
/// series starts with the run, and `histogram_quantile(0.99, sum(rate(...)))` or
/// `sum(...)` over shards adds them up.
///
/// Every series has `job` (the service's name), `instance` (this run's instance id), `hit_run_id`,
/// `hit_shard_index` and `hit_shard_count` under a shard, the resource attributes given, and then
/// its own attributes with their keys as labels (`http_response_status_code`, ...).
struct RemoteWriteMetrics {
    let targets: [ExportTarget]
    /// The labels every series has.
    let labels: [(String, String)]

    /// Prometheus takes schemas up to 8.
    static let maximumSchema = 8

    /// The `WriteRequest` for `figures` (since the run's start), at `now` (Unix nanoseconds).
    func encode(_ figures: MetricsRecorder.Figures, now: UInt64) -> [UInt8] {
        let timestamp = Int64(now / 1_000_000)
        var request = ProtobufWriter()
        for key in figures.durationKeys {
            let attributes = ExportTarget.attributes(of: key, targets: targets).map { (ExportedMetric.prometheusLabel($0.0), $0.1.text) }
            histogram(&request, .duration, attributes, figures.duration[key]!, sum: figures.durationSum[key], timestamp: timestamp)
        }
        histogram(&request, .correctedDuration, [], figures.corrected, sum: nil, timestamp: timestamp)
        histogram(&request, .lateness, [], figures.lateness, sum: nil, timestamp: timestamp)
        for phase in Phase.allCases {
            guard let latency = figures.phases[phase] else { continue }
            histogram(&request, .phaseDuration, [("hit_phase", phase.rawValue)], latency, sum: nil, timestamp: timestamp)
        }
        for (metric, value) in [(ExportedMetric.sent, figures.sent), (.completed, figures.completed), (.inFlight, figures.inFlight)] {
            request.message(1) { series in
                self.labels(&series, metric, [])
                series.message(2) { sample in
                    sample.double(1, Double(value))
                    sample.int64(2, timestamp)
                }
            }
        }
        for metric in ExportedMetric.allCases {
            request.message(3) { metadata in
                metadata.uint64(1, Self.metadataType(metric.kind))
                metadata.string(2, metric.prometheusName)
                metadata.string(4, metric.description)
                metadata.string(5, metric.unit == "s" ? "seconds" : "")
            }
        }
        return request.bytes
    }

    /// prompb's `MetricMetadata.MetricType`.
    static func metadataType(_ kind: ExportedMetric.Kind) -> UInt64 {
        switch kind {
        case .counter: 1
        case .gauge: 2
        case .histogram: 3
        }
    }

    /// One series of one native histogram sample; none for an empty histogram.
    private func histogram(_ request: inout ProtobufWriter, _ metric: ExportedMetric, _ own: [(String, String)],
                           _ latency: LatencyHistogram, sum exactSum: Int64?, timestamp: Int64) {
        guard !latency.isEmpty else { return }
        let buckets = ExponentialBuckets(latency, maximumScale: Self.maximumSchema)
        let (spans, deltas) = Self.spans(buckets)
        request.message(1) { series in
            self.labels(&series, metric, own)
            series.message(4) { histogram in
                histogram.uint64(1, UInt64(latency.count))
                histogram.double(3, exactSum.map { Double($0) / 1e6 } ?? latency.mean.seconds * Double(latency.count))
                histogram.sint(4, Int64(buckets.scale))
                histogram.uint64(6, buckets.zeroCount)
                for span in spans {
                    histogram.message(11) { bucketSpan in
                        bucketSpan.sint(1, Int64(span.offset))
                        bucketSpan.uint64(2, UInt64(span.length))
                    }
                }
                histogram.packedSInt64(12, deltas)
                histogram.int64(15, timestamp)
            }
        }
    }

    /// The labels of a series, sorted by name as remote write wants them: `__name__`, then the
    /// run's, then the series' own.
    private func labels(_ series: inout ProtobufWriter, _ metric: ExportedMetric, _ own: [(String, String)]) {
        var all = [("__name__", metric.prometheusName)] + labels
        for (name, value) in own where !all.contains(where: { $0.0 == name }) { all.append((name, value)) }
        for (name, value) in all.sorted(by: { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }) {
            series.message(1) { label in
                label.string(1, name)
                label.string(2, value)
            }
        }
    }

    /// A native histogram's positive spans and bucket deltas for `buckets`: Prometheus's index of
    /// OpenTelemetry's bucket i is i + 1; a span runs over gaps of one empty bucket and stops at
    /// longer ones; each delta is a bucket's count less the one before it.
    static func spans(_ buckets: ExponentialBuckets) -> (spans: [(offset: Int, length: Int)], deltas: [Int64]) {
        var spans: [(offset: Int, length: Int)] = []
        var deltas: [Int64] = []
        var previous: Int64 = 0
        var lastIndex: Int?
        for (position, count) in buckets.counts.enumerated() where count > 0 {
            let index = buckets.offset + position + 1
            if let last = lastIndex, index - last <= 2 {
                for _ in (last + 1)..<index {
                    deltas.append(-previous)
                    previous = 0
                }
                spans[spans.count - 1].length += index - last
            } else {
                spans.append((offset: lastIndex.map { index - $0 - 1 } ?? index, length: 1))
            }
            deltas.append(Int64(count) - previous)
            previous = Int64(count)
            lastIndex = index
        }
        return (spans, deltas)
    }
}
