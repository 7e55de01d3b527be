extension Feed {
    /// Reads CSV with a header row (RFC 4180). A row with more or fewer fields than the header,
    /// an unterminated quote, a header with an empty or repeated name, or no row at all is refused
    /// with its line.
    public init(csv data: some Collection<UInt8>) throws(Problem) {
        let bytes = Array(data)
        var reader = CSVReader(bytes)
        guard let header = try reader.record() else { throw Problem(line: 0, reason: "the feed is empty: it needs a header row and a row") }
        // The values take less room than the file: room for all of them at once, never a doubling.
        var builder = Builder(reserving: bytes.count)
        builder.columns = header.map { String(decoding: $0, as: UTF8.self) }
        try Self.check(columns: builder.columns, line: 1)
        while let record = try reader.record() {
            guard record.count == header.count else {
                throw Problem(line: reader.recordLine, reason: "\(record.count) fields where the header has \(header.count)")
            }
            for field in record { builder.append(field) }
        }
        guard builder.offsets.count > 1 else { throw Problem(line: 0, reason: "the feed has a header row but no row") }
        self.init(builder)
    }

    /// Refuses empty and repeated column names.
    static func check(columns: [String], line: Int) throws(Problem) {
        var seen: Set<String> = []
        for name in columns {
            guard !name.isEmpty else { throw Problem(line: line, reason: "a column has no name") }
            guard seen.insert(name).inserted else { throw Problem(line: line, reason: "the column '\(name)' is named twice") }
        }
    }
}

/// RFC 4180 records, one at a time.
struct CSVReader {
    private let data: [UInt8]
    private var position = 0
    /// The line the next record starts on (from 1), and the one the last record started on.
    private var line = 1
    private(set) var recordLine = 0

    init(_ data: [UInt8]) {
        self.data = data
        // A UTF-8 byte order mark is not part of the first name.
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// The next record's fields; `nil` at the end. Blank lines are skipped.
    mutating func record() throws(Feed.Problem) -> [[UInt8]]? {
        while position < data.count, data[position] == UInt8(ascii: "\n") || data[position] == UInt8(ascii: "\r") {
            if data[position] == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }
        guard position < data.count else { return nil }
        recordLine = line
        var fields: [[UInt8]] = []
        var field: [UInt8] = []
        while true {
            if position < data.count, data[position] == UInt8(ascii: "\"") {
                position += 1
                while true {
                    guard position < data.count else { throw Feed.Problem(line: recordLine, reason: "a quoted field has no closing quote") }
                    let byte = data[position]
                    position += 1
                    if byte == UInt8(ascii: "\"") {
                        if position < data.count, data[position] == UInt8(ascii: "\"") {
                            field.append(byte)
                            position += 1
                        } else {
                            break
                        }
                    } else {
                        if byte == UInt8(ascii: "\n") { line += 1 }
                        field.append(byte)
                    }
                }
            }
            while position < data.count, data[position] != UInt8(ascii: ","), data[position] != UInt8(ascii: "\n") {
                if !(data[position] == UInt8(ascii: "\r") && (position + 1 == data.count || data[position + 1] == UInt8(ascii: "\n"))) {
                    field.append(data[position])
                }
                position += 1
            }
            fields.append(field)
            field = []
            guard position < data.count, data[position] == UInt8(ascii: ",") else { break }
            position += 1
        }
        if position < data.count {
            position += 1  // the line's end
            line += 1
        }
        return fields
    }
}
