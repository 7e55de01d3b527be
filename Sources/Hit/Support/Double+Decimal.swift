extension Double {
    /// A number written in decimal (`10`, `2.5`, `1e3`, and `nan` and `inf`, which the flags refuse
    /// with a message of their own), never in hexadecimal: `Double("0x10")` is 16 and
    /// `Double("0x1p3")` is 8, which no flag of hit's means to accept.
    public init?(decimal text: some StringProtocol) {
        let unsigned = text.first == "+" || text.first == "-" ? text.dropFirst() : text[...]
        guard !unsigned.hasPrefix("0x"), !unsigned.hasPrefix("0X"), let value = Double(String(text)) else { return nil }
        self = value
    }
}
