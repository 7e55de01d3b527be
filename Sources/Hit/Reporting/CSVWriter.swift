import Foundation

/// Writes one CSV row per request as each completes, after a header row; nothing is kept.
/// Rows are buffered and written in chunks, and at least every quarter of a second.
/// Not thread-safe: the aggregate stage's thread uses it.
///
/// Each row carries its place in the schedule. Times are seconds; `offset_s` and `due_s` count
/// from the run's start (the JSON's `startUptimeNs` on CLOCK_MONOTONIC), so
/// `lateness_s == offset_s − due_s` for a request written late. Empty fields are unknown or do
/// not apply (`due_s`, `lateness_s`, `corrected_s` in an unpaced run; a phase the transfer did not
/// go through; `status` and the phases after a transport error).
public final class CSVWriter {
    /// The columns, in order; `write` fills them in this order.
    public static let header = "index,offset_s,due_s,lateness_s,latency_s,corrected_s,"
        + "dns_s,connect_s,tls_s,first_byte_s,transfer_s,"
        + "status,bytes,wire_bytes_received,wire_bytes_sent,http_version,target,transport_error"

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
        var fields = [String(result.index), Self.seconds(result.offset), result.due.map(Self.seconds) ?? "",
                      result.lateness.map(Self.seconds) ?? "", Self.seconds(result.latency),
                      result.correctedLatency.map(Self.seconds) ?? ""]
        for phase in Phase.allCases {
            fields.append(result.phases[phase].map(Self.seconds) ?? "")
        }
        fields.append(result.error == nil ? String(result.status) : "")
        fields.append(String(result.bytes))
        fields.append(String(result.wireBytesReceived))
        fields.append(String(result.wireBytesSent))
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
