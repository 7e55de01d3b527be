import ArgumentParser
import Hit

/// How `hit report` and `hit merge` read the JSON reports they are given, which may come from
/// anywhere (a CI artifact of an untrusted pull request).
struct ReportInputFlags: ParsableArguments {
    @Option(name: .customLong("max-input-size"), parsing: .unconditional,
            help: ArgumentHelp("The largest JSON report read, in bytes or with a unit: 64MB, 1GB (default: 64MB; an hour at 1s "
                + "intervals is about 2MB). Reading takes some 16 times the file's size in memory.", valueName: "size"))
    var maxInputSize: String?

    /// The default limit: 64 MiB.
    static let defaultLimit = 64 << 20

    /// `--max-input-size` in bytes.
    func limit() throws(UsageError) -> Int {
        guard let maxInputSize else { return Self.defaultLimit }
        guard let bytes = Self.size(maxInputSize), bytes > 0 else {
            throw UsageError("--max-input-size '\(UsageError.escaped(maxInputSize))' is not a size: a whole number of bytes, "
                + "or with KB, MB or GB (powers of 1024), e.g. 64MB")
        }
        return bytes
    }

    /// `123`, `64K`, `64KB`, `64MB`, `1GB` (powers of 1024; decimal digits only), up to 1 TB.
    static func size(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 13, let number = Int(digits) else { return nil }
        let shift: Int
        switch text.dropFirst(digits.count).uppercased() {
        case "", "B": shift = 0
        case "K", "KB", "KIB": shift = 10
        case "M", "MB", "MIB": shift = 20
        case "G", "GB", "GIB": shift = 30
        default: return nil
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        guard !overflow, bytes <= 1 << 40 else { return nil }
        return bytes
    }
}
