import Foundation

/// An HTTP/3 server on loopback: `scripts/h3-target.py`, hypercorn + aioquic from PyPI, serving
/// QUIC on a UDP port and HTTPS over TCP (HTTP/2 and HTTP/1.1, announcing h3 in Alt-Svc) on the
/// TCP port of the same number, with the shared test certificate for 127.0.0.1 and localhost.
/// It logs every request as it arrives (`arrivals()`): the server's own record, which the tests
/// hold hit's report against. Set-up: `scripts/setup hypercorn`.
public final class H3Server: @unchecked Sendable {
    /// `https://127.0.0.1:PORT`.
    public let url: String
    public let port: Int
    /// Serves HTTPS over TCP only: a port that answers no QUIC.
    public let tcpOnly: Bool
    private let log: String
    private let directory: String
    private let helper: HelperProcess

    /// One request as the server logged it on arrival.
    public struct Arrival: Sendable, Equatable {
        /// CLOCK_MONOTONIC, in seconds: the clock hit's schedule runs on.
        public let time: Double
        /// "3", "2" or "1.1".
        public let httpVersion: String
        /// The client's address and port: one per QUIC connection (its UDP source port).
        public let client: String
        public let method: String
        public let path: String
    }

    /// The Python interpreter of the virtual environment `scripts/setup hypercorn` makes.
    public static let python = NSHomeDirectory() + "/.cache/hit-tools/h3/bin/python"
    static let script = #filePath.components(separatedBy: "/Sources/")[0] + "/scripts/h3-target.py"

    /// Whether hypercorn is installed where `scripts/setup hypercorn` puts it.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: python) }

    /// Starts the server on a free port, or on `port` (a restart on the port of one that stopped).
    public init(tcpOnly: Bool = false, port: Int? = nil, certificates: Certificates) throws {
        self.tcpOnly = tcpOnly
        let directory = try temporaryDirectory("hit-h3")
        let log = directory + "/arrivals.log"
        self.directory = directory
        self.log = log
        helper = try HelperProcess("the HTTP/3 server", directory: directory, port: port) { port in
            .init(Self.python, [Self.script, "--port", String(port), "--cert", certificates.serverCertificate,
                                "--key", certificates.serverKey, "--log", log] + (tcpOnly ? ["--tcp-only"] : []))
        }
        self.port = helper.port
        url = "https://127.0.0.1:\(self.port)"
    }

    deinit {
        helper.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server (SIGKILL: it goes away at once, as a crashed server does, and its
    /// connections with it). Its log stays readable.
    public func stop() {
        helper.stop()
    }

    /// What arrived so far, in order.
    public func arrivals() throws -> [Arrival] {
        guard FileManager.default.fileExists(atPath: log) else { return [] }
        return try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 5, let time = Double(fields[0]) else { return nil }
            return Arrival(time: time, httpVersion: String(fields[1]), client: String(fields[2]),
                           method: String(fields[3]), path: String(fields[4]))
        }
    }
}
