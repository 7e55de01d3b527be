/// hit's metrics as an OTLP `ExportMetricsServiceRequest` (opentelemetry-proto's
/// `collector/metrics/v1`), protobuf-encoded: latencies as exponential histograms (OpenTelemetry's
/// semantic conventions for HTTP clients, in seconds), counters, a gauge.
///
/// - `http.client.request.duration` (s): per `http.request.method`, `server.address`,
///   `server.port`, `http.response.status_code` or `error.type`, `network.protocol.version`, and
///   `hit.target` when the target is named (never a URL, whose query may hold anything);
/// - `hit.client.request.corrected_duration` (s): under a rate, from each request's due time;
/// - `hit.request.lateness` (s): under a rate, how late each request was sent;
/// - `hit.phase.duration` (s), per `hit.phase`: dns, connect, tls, first byte, transfer;
/// - `hit.requests.sent`, `hit.requests.completed` (counters), `hit.requests.in_flight` (gauge).
struct OTLPMetrics {
    typealias AttributeValue = ExportTarget.AttributeValue

    let targets: [ExportTarget]
    /// The resource's attributes: `service.name`, `service.instance.id`, `hit.run.id`, the shard.
    let resource: [(String, AttributeValue)]
    let delta: Bool

    /// The request for `figures`, which cover `start` to `now` (Unix nanoseconds).
    func encode(_ figures: MetricsRecorder.Figures, start: UInt64, now: UInt64) -> [UInt8] {
        var request = ProtobufWriter()
        request.message(1) { resourceMetrics in
            resourceMetrics.message(1) { resource in
                for (key, value) in self.resource { resource.message(1) { Self.keyValue(&$0, key, value) } }
            }
            resourceMetrics.message(2) { scopeMetrics in
                scopeMetrics.message(1) { scope in
                    scope.string(1, "hit")
                    scope.string(2, hitVersion)
                }
                let keys = figures.durationKeys
                scopeMetrics.message(2) { metric in
                    histogramMetric(&metric, .duration,
                                    points: keys.map { key in
                                        (ExportTarget.attributes(of: key, targets: targets), figures.duration[key]!, figures.durationSum[key])
                                    },
                                    start: start, now: now)
                }
                if !figures.corrected.isEmpty {
                    scopeMetrics.message(2) { metric in
                        histogramMetric(&metric, .correctedDuration, points: [([], figures.corrected, nil)], start: start, now: now)
                    }
                }
                if !figures.lateness.isEmpty {
                    scopeMetrics.message(2) { metric in
                        histogramMetric(&metric, .lateness, points: [([], figures.lateness, nil)], start: start, now: now)
                    }
                }
                if !figures.phases.isEmpty {
                    scopeMetrics.message(2) { metric in
                        histogramMetric(&metric, .phaseDuration, points: Phase.allCases.compactMap { phase in
                                            figures.phases[phase].map { ([("hit.phase", .string(phase.rawValue))], $0, nil) }
                                        }, start: start, now: now)
                    }
                }
                for (counter, value) in [(ExportedMetric.sent, figures.sent), (.completed, figures.completed)] {
                    scopeMetrics.message(2) { metric in
                        Self.describe(&metric, counter)
                        metric.message(7) { sum in
                            sum.message(1) { Self.numberPoint(&$0, value: Int64(value), start: start, now: now) }
                            sum.uint64(2, delta ? 1 : 2)
                            sum.bool(3, true)
                        }
                    }
                }
                scopeMetrics.message(2) { metric in
                    Self.describe(&metric, .inFlight)
                    metric.message(5) { gauge in
                        gauge.message(1) { Self.numberPoint(&$0, value: Int64(figures.inFlight), start: nil, now: now) }
                    }
                }
            }
        }
        return request.bytes
    }

    /// A metric of exponential-histogram data points, in seconds.
    private func histogramMetric(_ metric: inout ProtobufWriter, _ exported: ExportedMetric,
                                 points: [([(String, AttributeValue)], LatencyHistogram, Int64?)], start: UInt64, now: UInt64) {
        Self.describe(&metric, exported)
        metric.message(10) { histogram in
            for (attributes, latency, exactSum) in points where !latency.isEmpty {
                histogram.message(1) { point in
                    for (key, value) in attributes { point.message(1) { Self.keyValue(&$0, key, value) } }
                    point.fixed64(2, start)
                    point.fixed64(3, now)
                    let buckets = ExponentialBuckets(latency)
                    point.fixed64(4, UInt64(latency.count))
                    let sum = exactSum.map { Double($0) / 1e6 } ?? latency.mean.seconds * Double(latency.count)
                    point.double(5, sum)
                    point.sint(6, Int64(buckets.scale))
                    point.fixed64(7, buckets.zeroCount)
                    point.message(8) { positive in
                        positive.sint(1, Int64(buckets.offset))
                        positive.packedUInt64(2, buckets.counts)
                    }
                    point.double(12, latency.min.seconds)
                    point.double(13, latency.max.seconds)
                }
            }
            histogram.uint64(2, delta ? 1 : 2)
        }
    }

    private static func describe(_ metric: inout ProtobufWriter, _ exported: ExportedMetric) {
        metric.string(1, exported.name)
        metric.string(2, exported.description)
        metric.string(3, exported.unit)
    }

    private static func numberPoint(_ point: inout ProtobufWriter, value: Int64, start: UInt64?, now: UInt64) {
        if let start { point.fixed64(2, start) }
        point.fixed64(3, now)
        point.sfixed64(6, value)
    }

    private static func keyValue(_ pair: inout ProtobufWriter, _ key: String, _ value: AttributeValue) {
        pair.string(1, key)
        pair.message(2) { any in
            switch value {
            case .string(let text): any.string(1, text)
            case .int(let number): any.int64(3, number)
            }
        }
    }
}
