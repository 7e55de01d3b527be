import FoundationEssentials

/// The rows of a feed file, each a value per column, held compactly: every value's bytes in one
/// buffer and one offset per value, so that a feed costs about its own size in memory (plus
/// 8 bytes a value) however many rows it has.
///
/// A feed is CSV with a header row (RFC 4180: commas, double-quoted fields with `""` for a quote,
/// CRLF or LF line ends) or JSON lines (one object a line, with the same keys on every line;
/// strings, numbers and booleans). Each column, or key, is a field a template may name.
public struct Feed: Sendable, Equatable {
    /// The columns' names, in order.
    public let columns: [String]
    /// Every value's UTF-8 bytes, row after row.
    private let bytes: [UInt8]
    /// Where each value starts in `bytes` (row-major), and one past the last.
    private let offsets: [Int]
    /// Each column's index, by name.
    private let columnIndex: [String: Int]

    /// How many rows it has.
    public var count: Int { (offsets.count - 1) / Swift.max(1, columns.count) }

    /// The value of `column` in row `row`.
    public func value(row: Int, column: Int) -> String {
        let slot = row * columns.count + column
        return String(decoding: bytes[offsets[slot]..<offsets[slot + 1]], as: UTF8.self)
    }

    /// The value of the column named `name` in row `row`; `nil` for no such column.
    public func value(row: Int, named name: String) -> String? {
        columnIndex[name].map { value(row: row, column: $0) }
    }

    /// Row `row` as values by column name.
    public func row(_ row: Int) -> [String: String] {
        var values: [String: String] = [:]
        for (column, name) in columns.enumerated() { values[name] = value(row: row, column: column) }
        return values
    }

    /// Why a feed cannot be read; `line` counts from 1.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { line > 0 ? "line \(line): \(reason)" : reason }
    }

    /// Rows collected as they are read.
    struct Builder {
        var columns: [String] = []
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]

        init(reserving size: Int = 0) {
            bytes.reserveCapacity(size)
        }

        mutating func append(_ value: some Collection<UInt8>) {
            bytes.append(contentsOf: value)
            offsets.append(bytes.count)
        }
    }

    init(_ builder: Builder) {
        columns = builder.columns
        bytes = builder.bytes
        offsets = builder.offsets
        columnIndex = Dictionary(builder.columns.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }
}
