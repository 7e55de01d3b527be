import Foundation

/// Writes one CSV row per request as each completes, after a header row; nothing is kept.
/// Rows are buffered and written in chunks, and at least every quarter of a second.
/// Not thread-safe: the aggregate stage's thread uses it.
public final class CSVWriter {
    public static let header = "offset_s,latency_s,dns_s,connect_s,tls_s,first_byte_s,transfer_s,status,bytes,http_version,target,error"

    private let output: FileHandle
    private let targets: [String]
    private var buffer = Data()
    private var lastFlush = ContinuousClock.now
    private static let chunk = 64 * 1024

    /// `targets`: how each target is named in the `target` column (secrets redacted).
    public init(output: FileHandle, targets: [String]) {
        self.output = output
        self.targets = targets.map(Redaction.url)
        buffer.append(contentsOf: Array((Self.header + "\n").utf8))
    }

    public func write(_ result: RequestResult) {
        var fields = [Self.seconds(result.offset), Self.seconds(result.latency)]
        for phase in Phase.allCases {
            fields.append(result.phases[phase].map(Self.seconds) ?? "")
        }
        fields.append(result.error == nil ? String(result.status) : "")
        fields.append(String(result.bytes))
        fields.append(result.httpVersion?.rawValue ?? "")
        fields.append(Self.quoted(targets.indices.contains(result.target) ? targets[result.target] : String(result.target)))
        fields.append(result.error.map { Self.quoted("\($0.kind.rawValue): \($0.message)") } ?? "")
        buffer.append(contentsOf: Array((fields.joined(separator: ",") + "\n").utf8))
        if buffer.count >= Self.chunk || ContinuousClock.now - lastFlush > .milliseconds(250) { flush() }
    }

    /// Writes out what is buffered.
    public func flush() {
        guard !buffer.isEmpty else { return }
        try? output.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
        lastFlush = ContinuousClock.now
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.6f", duration.seconds)
    }

    /// RFC 4180 quoting, when a field needs it.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    deinit {
        flush()
    }
}
