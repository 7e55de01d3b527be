import Foundation
@testable import Hit
import Testing

/// hit's own text helpers must say what Foundation's did, since they replace it in the library.
@Suite struct StringTests {
    @Test(arguments: [("%.1f", 62_100.04), ("%.2f%%", 0.125), ("%.0fµs", 999.5), ("%.3gs", 1.5e13), ("%.6f", 1.0 / 3)])
    func cFormatMatchesFoundation(format: String, value: Double) {
        #expect(String(cFormat: format, value) == String(format: format, value))
    }

    @Test func cFormatTakesIntegersAndLongOutput() {
        #expect(String(cFormat: "%dm%02ds", 61, 7) == "61m07s")
        let long = String(cFormat: "%.200f", 1.0)
        #expect(long.count == 202 && long.hasPrefix("1.000") && long == String(format: "%.200f", 1.0))
    }

    @Test(arguments: ["  a b\t", "\t\u{00A0}x ", "", "   ", "plain"])
    func trimmingMatchesFoundationsWhitespaces(text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test func paddingFillsOrCutsToTheWidth() {
        #expect("ab".padded(to: 4) == "ab  ")
        #expect("abcdef".padded(to: 3) == "abc")
        #expect("µs".padded(to: 3) == "µs ")
    }
}
