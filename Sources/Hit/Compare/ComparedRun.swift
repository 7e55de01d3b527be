/// One run as `hit compare` reads it from its JSON report: its timeline's intervals, each a block
/// of requests with its own latency histogram, completed requests, errors and length. Requests
/// within a run are not independent (queues, pauses, bursts), intervals nearly are: the block
/// bootstrap resamples these blocks, never single requests.
public struct ComparedRun: Sendable {
    public struct Block: Sendable {
        /// When it began, from the run's start, in seconds.
        public let offset: Double
        public let seconds: Double
        public let completed: Int
        public let errors: Int
        /// Its latency histogram's non-empty buckets: value in µs, count.
        public let latency: [HdrHistogramV2.Bucket]
    }

    /// How the report is named: its file.
    public let name: String
    public let blocks: [Block]
    /// The timeline's interval, in seconds.
    public let interval: Double
    /// The run's duration, in seconds.
    public let duration: Double

    /// Why a report cannot be compared.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// The run `report` records; its latency as corrected for coordinated omission when
    /// `corrected` (a paced run), else as measured.
    public init(report: JSONReport, name: String, corrected: Bool) throws(Problem) {
        self.name = name
        interval = Double(report.timeline.intervalUs) / 1e6
        duration = Double(report.summary.durationUs) / 1e6
        var blocks: [Block] = []
        for figures in report.timeline.intervals {
            var latency: [HdrHistogramV2.Bucket] = []
            if let encoded = (corrected ? figures.correctedLatency : figures.latency)?.encoded {
                do {
                    latency = try HdrHistogramV2(base64: encoded).counts
                } catch {
                    throw Problem(description: "\(name): an interval's latency histogram cannot be read: \(error)")
                }
            } else if corrected ? figures.correctedLatency != nil : figures.latency != nil {
                throw Problem(description: "\(name): its timeline has no latency histograms (a report of an older hit)")
            }
            blocks.append(Block(offset: Double(figures.offsetUs) / 1e6, seconds: Double(figures.durationUs) / 1e6,
                                completed: figures.completed, errors: figures.failedByStatus + figures.transportErrors,
                                latency: latency))
        }
        guard blocks.contains(where: { !$0.latency.isEmpty }) else {
            throw Problem(description: "\(name): no response has a latency to compare")
        }
        self.blocks = blocks
    }

    /// A run made of `blocks`, for the statistics' tests.
    init(name: String, blocks: [Block], interval: Double) {
        self.name = name
        self.blocks = blocks
        self.interval = interval
        duration = blocks.map(\.seconds).reduce(0, +)
    }
}
