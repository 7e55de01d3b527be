import Foundation

/// An OTLP/HTTP metrics receiver on loopback: `scripts/otlp-receiver.py`, which decodes every push
/// with OpenTelemetry's own protobuf definitions (PyPI's opentelemetry-proto) and logs it as JSON,
/// with its headers. It may answer with another status, or late. Set-up: `scripts/setup
/// opentelemetry-proto`.
public final class OTLPReceiver: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`, the base URL (pushes go to `/v1/metrics`).
    public let url: String
    private let log: String
    private let directory: String
    private let process: Process

    public static let python = NSHomeDirectory() + "/.cache/hit-tools/otlp/bin/python"
    static let script = #filePath.components(separatedBy: "/Sources/")[0] + "/scripts/otlp-receiver.py"

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: python) }

    /// Starts a receiver that answers every push with `status` after `delay` seconds.
    public init(status: Int = 200, delay: Double = 0) throws {
        directory = try temporaryDirectory("hit-otlp")
        log = directory + "/pushes.jsonl"
        var attempt = 0
        while true {
            attempt += 1
            let port = try freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.python)
            process.arguments = [Self.script, "--port", String(port), "--log", log, "--status", String(status), "--delay", String(delay)]
            let output = directory + "/output-\(port).txt"
            _ = FileManager.default.createFile(atPath: output, contents: nil)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            try? handle.close()
            let deadline = Date().addingTimeInterval(15)
            var text = ""
            while Date() < deadline, process.isRunning {
                text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
                if text.contains("listening on") { break }
                usleep(20_000)
            }
            if process.isRunning, text.contains("listening on") {
                self.process = process
                url = "http://127.0.0.1:\(port)"
                return
            }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            if attempt >= 5 || !text.contains("Address already in use") {
                throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "the OTLP receiver did not start: \(text)"])
            }
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
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
