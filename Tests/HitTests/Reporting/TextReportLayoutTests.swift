import Foundation
import Hit
import Testing

/// The text report as a terminal shows it: it fits the width it is printed at, and every figure
/// in it means something.
@Suite struct TextReportLayoutTests {
    /// A paced run of two long-named targets, with late requests, statuses, transport errors with
    /// long libcurl messages, and rules that failed: the report's widest lines.
    static var busySummary: Summary {
        var summary = Summary(requested: 200, targets: 2, rate: 100)
        for index in 0..<200 {
            var result = RequestResult(status: index % 7 == 0 ? 503 : 200, bytes: 1234, latency: .microseconds(321 + Int64(index * index % 5000)))
            if index % 11 == 0 {
                result.error = TransferError(kind: .reset, message: "Recv failure: Connection reset by peer while reading the response of a request that took a long time")
            }
            if index % 13 == 0 {
                result.error = TransferError(kind: .timeout, message: "Operation timed out after 2000 milliseconds with 0 out of -1 bytes received")
            }
            result.target = index % 2
            result.offset = .milliseconds(Int64(index * 10))
            result.correctedLatency = result.latency + .milliseconds(Int64(index % 3))
            result.lateness = .milliseconds(Int64(index % 40))
            summary.record(result)
        }
        summary.started = 210
        summary.retried = 3
        summary.dropped = 2
        summary.duration = .seconds(2)
        return summary
    }

    static func report(_ summary: Summary, width: Int, colour: Bool = false) -> String {
        let targets = ["GET http://service.internal.example:8080/api/v2/orders?customer=12345&include=items,payments",
                       "POST http://service.internal.example:8080/api/v2/orders/batch-import-with-a-long-name"]
        let rules = try! [Threshold(parsing: "p99>1ms"), Threshold(parsing: "errors>1%"), Threshold(parsing: "status5xx>0")]
        let verdict = Verdict(summary, thresholds: rules)
        return TextReport(summary, targets: targets, width: width, verdict: verdict, stages: [], colour: colour).description
    }

    /// At 80 and 100 columns no line runs past the width (so the terminal never breaks one inside a
    /// number), and no figure is lost: long lines wrap at word boundaries.
    @Test(arguments: [80, 100])
    func everyLineFitsTheWidth(width: Int) {
        let text = Self.report(Self.busySummary, width: width)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // A target's URL is one word: longer than the line, it stays whole on a line of its own.
        let tooLong = lines.filter { $0.count > width && !$0.contains("http://") }
        #expect(tooLong.isEmpty, "\(tooLong.map { "\($0.count): \($0)" }.joined(separator: "\n"))")
        let wide = Self.report(Self.busySummary, width: 1000)
        // The histogram's bars are fitted to the width, not wrapped: the rest has the same words.
        let words = { (text: String) in
            text.split(separator: "\n").filter { !$0.contains("■") }.joined(separator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        #expect(words(text) == words(wide), "the same words, only wrapped")
        // Wrapped lines are indented: a continuation never starts at the margin.
        for (line, next) in zip(lines, lines.dropFirst()) where line.count > width - 20 && !next.isEmpty && !line.contains("■") {
            #expect(next.hasPrefix("  "), "\(line)\n\(next)")
        }
    }

    /// A run whose every request failed DNS shows no requests per second of failures: how many
    /// failed, which way, and how fast.
    @Test func aRunWhereEverythingFailedShowsNoRateOfFailures() {
        var summary = Summary(requested: 1459)
        for _ in 0..<1459 {
            summary.record(RequestResult(status: 0, bytes: 0, latency: .microseconds(35),
                                         error: TransferError(kind: .dns, message: "Could not resolve host: nowhere.invalid")))
        }
        summary.duration = .seconds(1)
        let text = TextReport(summary, verdict: Verdict(summary, thresholds: [])).description
        #expect(!text.contains("RPS"), "\(text)")
        #expect(!text.contains("requests/s"), "\(text)")
        #expect(text.contains("Failed:     all 1459 (dns ×1459), each after p50 35µs, max 35µs"), "\(text)")
    }

    @Test func statusCodesAreLabelled() {
        var summary = Summary(requested: 3)
        for status in [200, 200, 404] { summary.record(RequestResult(status: status, bytes: 1, latency: .milliseconds(1))) }
        let text = TextReport(summary).description
        #expect(text.contains("\n  [200] 2 responses\n  [404] 1 response"), "\(text)")
    }

    /// Summary and Latency do not repeat each other, and the rate is stated once.
    @Test func noFigureIsPrintedTwice() {
        var summary = Summary(requested: 10)
        for i in 0..<10 { summary.record(RequestResult(status: 200, bytes: 1, latency: .milliseconds(Int64(1 + i)))) }
        summary.duration = .seconds(1)
        let text = TextReport(summary).description
        for label in ["Fastest:", "Slowest:", "Mean:"] { #expect(!text.contains(label), "\(label) is the Latency block's") }
        #expect(text.contains("  min:") && text.contains("  max:") && text.contains("  mean:"))
        #expect(text.split(separator: "\n").filter { $0.contains("RPS") || $0.contains("requests/s") }.count == 1, "RPS once: \(text)")
        #expect(!text.contains("requests/s"), "\(text)")
    }

    /// 261 responses from 321 µs to 5.32 ms, most of them under a millisecond: no row holds most of them.
    @Test func anOrdinarySpreadIsSpreadOverTheRows() {
        var latency = LatencyHistogram()
        for i in 0..<251 { latency.record(.microseconds(321 + Int64(i) * 2)) }
        for i in 0..<10 { latency.record(.microseconds(1000 + Int64(i) * 432)) }
        var summary = Summary(requested: 261)
        summary.latency = latency
        let rows = TextReport(summary).description.split(separator: "\n")
            .drop { !$0.hasPrefix("Latency histogram") }.dropFirst().prefix { $0.contains("[") }
        let counts = rows.compactMap { Int($0.split(separator: "[")[1].split(separator: "]")[0].trimmingCharacters(in: .whitespaces)) }
        #expect(counts.reduce(0, +) == 261)
        #expect((counts.max() ?? 0) < 130, "no row holds half of them: \(rows.joined(separator: "\n"))")
    }

    @Test func theRampAndTheStagesAreShown() {
        var ramped = Summary(requested: 10)
        ramped.record(RequestResult(status: 200, bytes: 1, latency: .milliseconds(1)))
        #expect(TextReport(ramped, rampUp: .seconds(30)).description.contains("Ramp-up:    the workers started evenly over 30.00s"))

        var staged = Summary(requested: nil, rate: 100)
        staged.timeline = Timeline(interval: .seconds(1), startUnixNanoseconds: 0, intervals: (0..<4).map { second in
            var interval = Timeline.Interval(offset: .seconds(Int64(second)), length: .seconds(1))
            interval.sent = second < 2 ? 48 : 99
            return interval
        })
        for i in 0..<10 {
            var result = RequestResult(status: 200, bytes: 1, latency: .milliseconds(1))
            result.correctedLatency = .milliseconds(1)
            result.offset = .milliseconds(Int64(i * 10))
            staged.record(result)
        }
        let text = TextReport(staged, stages: [Stage(duration: .seconds(2), target: 100), Stage(duration: .seconds(2), target: 100)]).description
        #expect(text.contains("2.00s 0→100/s"), "\(text)")
        #expect(text.contains("50.0/s") && text.contains("48.0/s"), "the first stage: asked 50/s on average, sent 48/s: \(text)")
        #expect(text.contains("100.0/s") && text.contains("99.0/s"), "\(text)")
    }

    /// The verdict and the error counts in colour on a terminal; never without it.
    @Test func theVerdictAndTheErrorsAreColouredWhenAsked() {
        let coloured = Self.report(Self.busySummary, width: 100, colour: true)
        #expect(coloured.contains("\u{1B}[1;31mVerdict: FAIL\u{1B}[0m"), "\(coloured)")
        #expect(coloured.contains("Errors:     \u{1B}[31m"), "\(coloured)")
        #expect(!Self.report(Self.busySummary, width: 100).contains("\u{1B}["))
    }
}
