import Foundation
@testable import Hit
import HitTestSupport
import Testing

@Suite struct HdrHistogramV2Tests {
    /// Latencies in µs, each the highest value of its bucket (so that hit's percentiles, which
    /// never exceed the exact maximum, are HdrHistogram's own), over several buckets of magnitude.
    static let latencies: [(UInt64, UInt64)] = [(1, 3), (7, 1), (250, 40), (1999, 2), (3001, 500), (9999, 1200),
                                                 (123_455, 250), (1_048_575, 2), (2_147_483_647, 2)]  // 2,000 in all: no percentile falls between two buckets, where libraries round differently

    static func histogram() -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for (value, count) in latencies { histogram.record(.microseconds(value), count: count) }
        return histogram
    }

    @Test(arguments: [(0, [0]), (1, [2]), (-1, [1]), (63, [126]), (64, [0x80, 0x01]), (-1000, [0xCF, 0x0F])] as [(Int64, [UInt8])])
    func varintsAreZigZagLEB128(value: Int64, bytes: [UInt8]) {
        var out: [UInt8] = []
        HdrHistogramV2.appendVarint(value, to: &out)
        #expect(out == bytes)
    }

    @Test(arguments: [Int64.max, Int64.min, 1 << 56, -(1 << 56) - 1, 1 << 62, 123_456_789_012] as [Int64])
    func extremeVarintsTakeNineBytesAndComeBack(value: Int64) {
        var out: [UInt8] = []
        HdrHistogramV2.appendVarint(value, to: &out)
        #expect(out.count <= 9)
        var position = 0
        #expect(HdrHistogramV2.readVarint(out, at: &position, end: out.count) == value)
        #expect(position == out.count)
    }

    @Test func theLayoutIsHdrHistograms() {
        let layout = HdrHistogramV2.Layout(lowest: 1, digits: 3)
        // 2048 sub-buckets: values below 2048 are exact, then each bucket doubles the unit.
        #expect(layout.index(of: 0) == 0 && layout.index(of: 2047) == 2047)
        #expect(layout.index(of: 2048) == 2048 && layout.index(of: 2049) == 2048 && layout.index(of: 4095) == 3071)
        #expect(layout.index(of: 4096) == 3072)
        for value: UInt64 in [1, 2047, 2048, 3001, 9999, 123_455, 3_600_000_000] {
            let lowest = layout.value(at: layout.index(of: value))
            #expect(lowest <= value && layout.index(of: lowest) == layout.index(of: value))
        }
    }

    @Test func encodingAndDecodingKeepEveryBucket() throws {
        let histogram = Self.histogram()
        let blob = HdrHistogramV2(histogram).base64Encoded()
        #expect(blob.hasPrefix("HISTFAAA"))
        let decoded = try HdrHistogramV2(base64: blob)
        #expect(decoded == HdrHistogramV2(histogram))
        #expect(decoded.counts.map(\.count).reduce(0, +) == UInt64(histogram.count))
        let rebuilt = LatencyHistogram(decoded)
        #expect(rebuilt.sparseCounts == histogram.sparseCounts)
        for percentile in [50.0, 90, 99, 99.9, 100] {
            #expect(rebuilt.percentile(percentile) == histogram.percentile(percentile))
        }
        #expect(try HdrHistogramV2(base64: HdrHistogramV2(LatencyHistogram()).base64Encoded()).counts.isEmpty)
    }

    @Test(arguments: ["", "bm90IGEgaGlzdG9ncmFt", "HISTFAAAACh42pNpmSzMwMDAxAABzFCaEUzOmLy5vhHCZmUAAPfkBcc="])
    func badBlobsAreErrorsNotTraps(blob: String) {
        #expect(throws: HdrHistogramV2.DecodingError.self) { try HdrHistogramV2(base64: blob) }
    }

    @Test func aBlobCutShortIsAnError() throws {
        let bytes = HdrHistogramV2(Self.histogram()).encoded()
        for length in [0, 4, 8, 12, bytes.count - 1] {
            #expect(throws: HdrHistogramV2.DecodingError.self) { try HdrHistogramV2(encoded: bytes.prefix(length)) }
        }
    }

    // MARK: Interoperability with HdrHistogram's Python library (PyPI: hdrhistogram)

    static let pythonReady = ExternalTool.exists("python3") && ((try? ExternalTool.python("import hdrh"))?.status == 0)

    @Test(.enabled(if: pythonReady, "needs python3 and PyPI's hdrhistogram (scripts/setup hdrhistogram)"))
    func pythonDecodesHitsBlobToTheSameCountsAndPercentiles() throws {
        let histogram = Self.histogram()
        let script = """
        import sys, json
        from hdrh.histogram import HdrHistogram
        h = HdrHistogram.decode(sys.argv[1])
        print(json.dumps({"total": h.get_total_count(), "lowest": h.lowest_trackable_value,
                          "highest": h.highest_trackable_value, "digits": h.significant_figures,
                          "buckets": [[h.get_lowest_equivalent_value(i.value_iterated_to), i.count_at_value_iterated_to]
                                      for i in h.get_recorded_iterator()],
                          "percentiles": {str(p): h.get_value_at_percentile(p) for p in (50, 90, 99, 99.9)},
                          "max": h.get_max_value()}))
        """
        let run = try ExternalTool.python(script, [HdrHistogramV2(histogram).base64Encoded()])
        try #require(run.status == 0, "\(run.stderr)")
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(decoded["total"] as? Int == histogram.count)
        #expect(decoded["lowest"] as? Int == 1 && decoded["digits"] as? Int == 3)
        #expect(decoded["highest"] as? Int == Int(LatencyHistogram.highestTrackable))
        let buckets = try #require(decoded["buckets"] as? [[Int]])
        #expect(buckets.map { $0.map(UInt64.init) } == HdrHistogramV2(histogram).counts.map { [$0.value, $0.count] })
        let percentiles = try #require(decoded["percentiles"] as? [String: Int])
        for (key, percentile) in [("50", 50.0), ("90", 90), ("99", 99), ("99.9", 99.9)] {
            #expect(Int64(percentiles[key] ?? -1) == histogram.percentile(percentile).microsecondsValue, "p\(key)")
        }
        #expect(Int64(decoded["max"] as? Int ?? -1) == histogram.max.microsecondsValue)
    }

    @Test(.enabled(if: pythonReady, "needs python3 and PyPI's hdrhistogram (scripts/setup hdrhistogram)"))
    func hitDecodesPythonsBlob() throws {
        // Python's own histogram, with other parameters than hit's: 2 digits, values up to 10^7.
        let script = """
        from hdrh.histogram import HdrHistogram
        h = HdrHistogram(1, 10000000, 2)
        for value, count in ((5, 10), (100, 1), (1500, 250), (70000, 3), (9999999, 1)):
            h.record_value(value, count)
        print(h.encode().decode())
        print(" ".join(str(h.get_value_at_percentile(p)) for p in (50, 99, 100)))
        """
        let run = try ExternalTool.python(script)
        try #require(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        try #require(lines.count == 2)
        let decoded = try HdrHistogramV2(base64: lines[0])
        #expect(decoded.significantDigits == 2 && decoded.highestTrackableValue == 10_000_000 && decoded.lowestDiscernibleValue == 1)
        #expect(decoded.counts.map(\.count) == [10, 1, 250, 3, 1])
        let layout = HdrHistogramV2.Layout(lowest: 1, digits: 2)
        #expect(zip(decoded.counts.map(\.value), [5, 100, 1500, 70000, 9_999_999] as [UInt64]).allSatisfy {
            layout.index(of: $0) == layout.index(of: $1)
        })
        // Encoding it again gives the same histogram to Python.
        let again = try ExternalTool.python("""
        import sys
        from hdrh.histogram import HdrHistogram
        h = HdrHistogram.decode(sys.argv[1])
        print(" ".join(str(h.get_value_at_percentile(p)) for p in (50, 99, 100)))
        """, [decoded.base64Encoded()])
        #expect(again.stdout == String(lines[1]) + "\n")
    }
}
