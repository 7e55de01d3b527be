extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (the whitespace of header lines,
    /// lists and files hit reads).
    package func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || ($0.isWhitespace && !$0.isNewline) }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }

    /// The text padded with spaces on the right to `width` characters, or cut to it: a column of
    /// a text report.
    package func padded(to width: Int) -> String {
        count >= width ? String(prefix(width)) : String(self) + String(repeating: " ", count: width - count)
    }

    /// The text padded with spaces on the left to `width` characters: a right-aligned column.
    package func leftPadded(to width: Int) -> String {
        count >= width ? String(self) : String(repeating: " ", count: width - count) + String(self)
    }
}
