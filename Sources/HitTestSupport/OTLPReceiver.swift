import Foundation

/// An OTLP/HTTP metrics receiver on loopback: `scripts/otlp-receiver.py`, which decodes every push
/// (protobuf or JSON) with OpenTelemetry's own protobuf definitions (PyPI's opentelemetry-proto)
/// and logs it as JSON, with its headers. It may answer with another status, or late. Set-up:
/// `scripts/setup opentelemetry-proto`.
public final class OTLPReceiver: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`, the base URL (pushes go to `/v1/metrics`).
    public let url: String
    private let log: String
    private let directory: String
    private let helper: HelperProcess

    public static let python = NSHomeDirectory() + "/.cache/hit-tools/otlp/bin/python"
    static let script = #filePath.components(separatedBy: "/Sources/")[0] + "/scripts/otlp-receiver.py"

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: python) }

    /// Starts a receiver that answers every push with `status` after `delay` seconds.
    public init(status: Int = 200, delay: Double = 0) throws {
        let directory = try temporaryDirectory("hit-otlp")
        let log = directory + "/pushes.jsonl"
        self.directory = directory
        self.log = log
        helper = try HelperProcess("the OTLP receiver", directory: directory) { port in
            .init(Self.python, [Self.script, "--port", String(port), "--log", log, "--status", String(status), "--delay", String(delay)])
        }
        url = "http://127.0.0.1:\(helper.port)"
    }

    deinit {
        helper.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Every push received so far, in order: `path`, `headers`, `request` (the
    /// ExportMetricsServiceRequest in protobuf's JSON mapping), or `error` when it did not decode.
    public func pushes() throws -> [[String: Any]] {
        guard FileManager.default.fileExists(atPath: log) else { return [] }
        return try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }
}
