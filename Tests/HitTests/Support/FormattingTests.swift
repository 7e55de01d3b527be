import Hit
import Testing

@Suite struct FormattingTests {
    @Test(arguments: [(Duration.microseconds(850), "850µs"), (.microseconds(4_560), "4.56ms"), (.milliseconds(123), "123.0ms"),
                      (.milliseconds(2_050), "2.05s"), (.seconds(65), "1m05s")])
    func durationsReadInTheirBestUnit(duration: Duration, text: String) {
        #expect(Formatting.duration(duration) == text)
    }

    static let byteCounts: [(Double, String)] = [(512, "512 B"), (2150, "2.1 KiB"), (3_565_158, "3.4 MiB"), (2_684_354_560, "2.50 GiB")]

    @Test(arguments: byteCounts)
    func bytesReadInTheirBestUnit(count: Double, text: String) {
        #expect(Formatting.bytes(count) == text)
    }
}
