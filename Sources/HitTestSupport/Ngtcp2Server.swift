import Foundation

/// ngtcp2's own example HTTP/3 server (`gtlsserver`, Debian's `ngtcp2-server` from
/// bookworm-backports, which `scripts/libcurl-backports` puts beside the libcurl it fetches for
/// `scripts/build-http3`): QUIC only, on a UDP port of loopback, serving files from a folder of its
/// own; here `/index.html`, "Hello, hit\n". A second HTTP/3 stack to hold hit against, and a
/// faster one than hypercorn. It keeps no log of requests.
public final class Ngtcp2Server: @unchecked Sendable {
    /// `https://127.0.0.1:PORT/index.html`.
    public let url: String
    private let directory: String
    private let process: Process

    static let root = #filePath.components(separatedBy: "/Sources/")[0] + "/.build-curl8-gnutls/root"
    static let binary = root + "/usr/sbin/gtlsserver"

    /// Whether `scripts/libcurl-backports` (FLAVOUR=gnutls) has fetched it.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    public init(certificates: Certificates) throws {
        directory = NSTemporaryDirectory() + "hit-ngtcp2-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory + "/htdocs", withIntermediateDirectories: true)
        try Data("Hello, hit\n".utf8).write(to: URL(fileURLWithPath: directory + "/htdocs/index.html"))
        // A UDP port no one holds; the server binds it a moment later (a clash shows as its exit).
        var attempt = 0
        while true {
            attempt += 1
            let port = try freePort(type: SOCK_DGRAM)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["-q", "-d", directory + "/htdocs", "127.0.0.1", String(port),
                                 certificates.serverKey, certificates.serverCertificate]
            var environment = ProcessInfo.processInfo.environment
            environment["LD_LIBRARY_PATH"] = Self.root + "/usr/lib/x86_64-linux-gnu"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // It has bound its port once it holds a UDP socket on it.
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline, !Self.holdsUDP(port: port) { usleep(10_000) }
            if process.isRunning, Self.holdsUDP(port: port) {
                self.process = process
                url = "https://127.0.0.1:\(port)/index.html"
                return
            }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            if attempt >= 5 { throw H3ServerError.failed("gtlsserver did not start on port \(port)") }
        }
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Whether a UDP socket is bound to 127.0.0.1:`port` (from /proc/net/udp).
    static func holdsUDP(port: Int) -> Bool {
        let wanted = String(format: "0100007F:%04X", port)
        guard let table = try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8) else { return false }
        return table.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first == Substring(wanted) }
    }
}
