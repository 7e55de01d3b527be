import Dispatch
import FoundationEssentials
import Synchronization

/// Writes one CSV row per request as each completes, after a header row; nothing is kept.
/// The header goes out at once; rows are buffered and written in chunks of 64 KiB, or when a
/// result comes a quarter of a second after the last write, or when `flush()` is called (a
/// caller's timer, so that rows reach the file within about a second even when results stop
/// coming). Safe to use from several threads: the buffer is behind a lock.
///
/// Each row carries its place in the schedule. Times are seconds; `offset_s` and `due_s` count
/// from the run's start (the JSON's `startUptimeNs` on CLOCK_MONOTONIC), so
/// `lateness_s == offset_s − due_s` for a request written late. Empty fields are unknown or do
/// not apply (`due_s`, `lateness_s`, `corrected_s` in an unpaced run; a phase the transfer did not
/// go through; `status` and the phases after a transport error).
public final class CSVWriter: Sendable {
    /// The columns, in order; `write` fills them in this order.
    public static let header = "index,offset_s,due_s,lateness_s,latency_s,corrected_s,"
        + "dns_s,connect_s,tls_s,first_byte_s,transfer_s,"
        + "status,bytes,wire_bytes_received,wire_bytes_sent,http_version,target,transport_error"

    private let output: @Sendable ([UInt8]) -> Bool
    private let targets: [String]
    private let secrets: [String]
    private struct State {
        var buffer: [UInt8] = []
        var lastFlush = DispatchTime.now()
        var failed = false
    }
    private let state = Mutex(State())
    private static let chunk = 64 * 1024

    /// Writes through `output`, which returns `false` when a write failed; from then on nothing
    /// more is written. `targets`: how each target is named in the `target` column (secrets
    /// redacted); `secrets` are scrubbed from the transport errors' messages.
    public init(output: @escaping @Sendable ([UInt8]) -> Bool, targets: [String], secrets: [String] = []) {
        self.output = output
        self.targets = targets.map(Redaction.url)
        self.secrets = secrets
        state.withLock { $0.buffer = Array((Self.header + "\n").utf8) }
        flush()
    }

    /// Writes into an open file descriptor, which stays open; `failed` tells whether a write failed.
    public convenience init(fileDescriptor: Int32, targets: [String]) {
        self.init(output: { bytes in writeAll(bytes, to: fileDescriptor) == 0 }, targets: targets)
    }

    /// Whether a write failed: the reader went away, the disk is full.
    public var failed: Bool { state.withLock { $0.failed } }

    public func write(_ result: RequestResult) {
        var fields = [String(result.index), Self.seconds(result.offset), result.due.map(Self.seconds) ?? "",
                      result.lateness.map(Self.seconds) ?? "", Self.seconds(result.latency),
                      result.correctedLatency.map(Self.seconds) ?? ""]
        for phase in Phase.allCases {
            fields.append(result.phases[phase].map(Self.seconds) ?? "")
        }
        // A failed check failed a response: its status is written as every response's.
        fields.append(result.error == nil || result.error?.kind == .check ? String(result.status) : "")
        fields.append(String(result.bytes))
        fields.append(String(result.wireBytesReceived))
        fields.append(String(result.wireBytesSent))
        fields.append(result.httpVersion?.rawValue ?? "")
        fields.append(Self.quoted(targets.indices.contains(result.target) ? targets[result.target] : String(result.target)))
        fields.append(result.error.map { Self.quoted(Redaction.scrub("\($0.kind.rawValue): \($0.message)", secrets: secrets)) } ?? "")
        let row = Array((fields.joined(separator: ",") + "\n").utf8)
        let due = state.withLock { state in
            state.buffer += row
            return state.buffer.count >= Self.chunk || DispatchTime.now().uptimeNanoseconds &- state.lastFlush.uptimeNanoseconds > 250_000_000
        }
        if due { flush() }
    }

    /// Writes out what is buffered.
    public func flush() {
        state.withLock { state in
            guard !state.buffer.isEmpty, !state.failed else { return }
            if !output(state.buffer) { state.failed = true }
            state.buffer.removeAll(keepingCapacity: true)
            state.lastFlush = DispatchTime.now()
        }
    }

    static func seconds(_ duration: Duration) -> String {
        String(cFormat: "%.6f", duration.seconds)
    }

    /// RFC 4180 quoting, when a field needs it.
    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    deinit {
        flush()
    }
}
