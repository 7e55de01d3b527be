import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

extension TextReport {
    /// Bars for about ten buckets from the fastest to the slowest response. The buckets are
    /// logarithmic: latencies spread with a long tail, and equal widths put most responses in the
    /// first row of an ordinary run (321 µs to 5.32 ms), where equal ratios show its shape; the
    /// same holds for a run of 200 µs responses and for one of 10 s responses.
    static func histogramBars(_ latency: LatencyHistogram, width: Int) -> [String] {
        let low = UInt64(max(1, latency.min.microsecondsValue)), high = UInt64(max(1, latency.max.microsecondsValue))
        guard high > low else {
            return ["  " + Formatting.duration(.microseconds(high)) + " [\(latency.count)] " + String(repeating: "■", count: max(1, width / 2))]
        }
        let buckets = 10
        var edges: [UInt64] = (0...buckets).map { i in
            UInt64((Double(low) * pow(Double(high) / Double(low), Double(i) / Double(buckets))).rounded())
        }
        edges[buckets] = high
        // Each recorded bucket goes to the first bar whose upper edge holds it.
        var counts = Array(repeating: 0, count: buckets)
        for bucket in latency.buckets {
            let bar = (1...buckets).first { bucket.microseconds <= edges[$0] } ?? buckets
            counts[bar - 1] += bucket.count
        }
        // Bars whose edges read the same at the report's precision are one bar: no two rows carry
        // the same label.
        var rows: [(label: String, count: Int)] = []
        for bar in 1...buckets where bar == buckets || edges[bar] > edges[bar - 1] {
            let label = Formatting.duration(.microseconds(edges[bar]))
            if let last = rows.last, last.label == label {
                rows[rows.count - 1].count += counts[bar - 1]
            } else {
                rows.append((label, counts[bar - 1]))
            }
        }
        let labelWidth = rows.map(\.label.count).max() ?? 0
        let countWidth = rows.map { String($0.count).count }.max() ?? 1
        let barRoom = max(10, width - labelWidth - countWidth - 8)
        let most = max(1, rows.map(\.count).max() ?? 1)
        return rows.map { row in
            let bar = String(repeating: "■", count: row.count == 0 ? 0 : max(1, row.count * barRoom / most))
            return "  " + String(repeating: " ", count: labelWidth - row.label.count) + row.label
                + " [" + String(repeating: " ", count: countWidth - String(row.count).count) + "\(row.count)] " + bar
        }
    }
}
