import Foundation
import Hit
import HitTarget
import HitTestSupport
import Testing

/// The HdrHistogram files hit writes, read back by HdrHistogram's own readers: the interval log
/// by the Python library's `HistogramLogReader`, the percentile distribution by `hdr-plot`.
@Suite struct HdrFileTests {
    static let pythonReady = ExternalTool.exists("python3") && ((try? ExternalTool.python("import hdrh.log"))?.status == 0)
    static let hdrPlot = NSHomeDirectory() + "/.cache/hit-tools/hdr-plot/bin/hdr-plot"

    @Test(.enabled(if: pythonReady, "needs python3 and PyPI's hdrhistogram (scripts/setup hdrhistogram)"))
    func theIntervalLogIsReadByHdrHistogramsLogReader() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hit = try HitProcess.run(["-q", "-z", "2.2s", "-c", "2", "-rps", "100", "--interval", "500ms",
                                      "--hlog", directory + "/run.hlog", "-o", "json", server.baseURL + "/delay/2"])
        try #require(hit.exitStatus == 0, "\(hit.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(hit.stdout.utf8)) as? [String: Any])
        let completed = try #require((report["summary"] as? [String: Any])?["completed"] as? Int)
        let corrected = try #require((report["correctedLatency"] as? [String: Any])?["count"] as? Int)
        let script = """
        import sys, json
        from hdrh.histogram import HdrHistogram
        from hdrh.log import HistogramLogReader
        reader = HistogramLogReader(sys.argv[1], HdrHistogram(1, 3600000000, 3))
        intervals = []
        while True:
            h = reader.get_next_interval_histogram()
            if h is None:
                break
            intervals.append({"start": h.get_start_time_stamp(), "end": h.get_end_time_stamp(),
                              "count": h.get_total_count(), "p50": h.get_value_at_percentile(50)})
        print(json.dumps({"startTime": reader.get_start_time_sec(), "intervals": intervals}))
        """
        let read = try ExternalTool.python(script, [directory + "/run.hlog"])
        try #require(read.status == 0, "\(read.stderr)")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        let intervals = try #require(decoded["intervals"] as? [[String: Any]])
        // 2.2 s at 500 ms: four whole intervals and a short last one, each with responses.
        #expect(intervals.count == 5)
        #expect(intervals.compactMap { $0["count"] as? Int }.reduce(0, +) == corrected, "every corrected latency, once")
        #expect(corrected == completed)
        // On the wall clock: the log's start is the JSON's start, and intervals follow 500 ms apart.
        let startUnixNs = try #require(report["startUnixNs"] as? Int)
        let startTime = try #require(decoded["startTime"] as? Double)
        #expect(abs(startTime - Double(startUnixNs) / 1e9) < 0.002)
        let starts = intervals.compactMap { $0["start"] as? Double }.map { $0 / 1000 - startTime }  // msec → s from start
        for (index, start) in starts.enumerated() { #expect(abs(start - Double(index) * 0.5) < 0.002, "interval \(index) at \(start)") }
        // A 2 ms route: each interval's median is at least 2 ms (µs in the log).
        #expect(intervals.allSatisfy { ($0["p50"] as? Int ?? 0) >= 2000 })
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: hdrPlot), "needs hdr-plot (scripts/setup hdr-plot)"))
    func hdrPlotDrawsThePercentileDistribution() throws {
        let server = try TargetServer()
        defer { server.shutdown() }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hit = try HitProcess.run(["-q", "-n", "300", "-c", "3", "--hgrm", directory + "/run.hgrm", server.baseURL + "/"])
        try #require(hit.exitStatus == 0, "\(hit.stderr)")
        let text = try String(contentsOfFile: directory + "/run.hgrm", encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first?.contains("Value") == true && lines.first?.contains("Percentile") == true)
        #expect(lines.contains { $0.hasPrefix("#[Max") && $0.contains("Total count    =          300") })
        let plot = try ExternalTool(Self.hdrPlot, ["--output", directory + "/run.png", directory + "/run.hgrm"])
        #expect(plot.status == 0, "\(plot.stderr)")
        let png = try Data(contentsOf: URL(fileURLWithPath: directory + "/run.png"))
        #expect(png.count > 10_000 && png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG of the distribution")
    }
}
