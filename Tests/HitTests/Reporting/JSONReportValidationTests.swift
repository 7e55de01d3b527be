import Foundation
@testable import Hit
import Testing

/// The one check of an untrusted report (`JSONReport+Validation.swift`), its document check before
/// decoding, and the histogram codec it relies on.
@Suite struct JSONReportValidationTests {
    /// A plain V2 header (cookie, payload length, offset, digits, lowest, highest, ratio).
    static func header(lowest: UInt64, highest: UInt64, digits: UInt32 = 3) -> [UInt8] {
        func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        return bytes(UInt32(0x1C84_9313)) + bytes(UInt32(0)) + bytes(UInt32(0)) + bytes(digits) + bytes(lowest) + bytes(highest)
            + bytes((1.0 as Double).bitPattern)
    }

    /// HdrHistogram refuses a lowest discernible value whose magnitude leaves no room for the
    /// sub-buckets; decoding such a header was a trap (an overflow), also under `try?`.
    @Test(arguments: [(UInt64(1) << 63, UInt64.max), (UInt64(1) << 62, UInt64(1) << 63), (UInt64(1) << 52, UInt64(1) << 62),
                      (UInt64.max, UInt64.max)])
    func headersBeyondHdrHistogramsLimitsAreRefused(lowest: UInt64, highest: UInt64) {
        #expect(throws: HdrHistogramV2.DecodingError.self) { try HdrHistogramV2(encoded: Self.header(lowest: lowest, highest: highest)) }
        #expect((try? HdrHistogramV2(encoded: Self.header(lowest: lowest, highest: highest))) == nil)
    }

    @Test func headersWithinTheLimitsAreRead() throws {
        let decoded = try HdrHistogramV2(encoded: Self.header(lowest: 1 << 40, highest: 1 << 62, digits: 2))
        #expect(decoded.lowestDiscernibleValue == 1 << 40 && decoded.counts.isEmpty)
    }

    @Test func documentsTooDeepOrWithTooManyKeysAreRefusedBeforeDecoding() {
        let deep = Array(String(repeating: "[", count: 100).utf8)
        #expect(throws: JSONReport.Invalid.self) { try JSONReport.checkStructure(deep) }
        let keys = "{" + (0...JSONReport.maximumKeys).map { "\"\($0)\":1" }.joined(separator: ",") + "}"
        #expect(throws: JSONReport.Invalid.self) { try JSONReport.checkStructure(Array(keys.utf8)) }
        let fine = "{\"a\":\"::{{[[\",\"b\":[1,2,{\"c\":3}]}"
        #expect(throws: Never.self) { try JSONReport.checkStructure(Array(fine.utf8)) }
    }
}
