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
    private let helper: HelperProcess

    static let root = #filePath.components(separatedBy: "/Sources/")[0] + "/.build-curl8-gnutls/root"
    static let binary = root + "/usr/sbin/gtlsserver"

    /// Whether `scripts/libcurl-backports` (FLAVOUR=gnutls) has fetched it.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    public init(certificates: Certificates) throws {
        let directory = try temporaryDirectory("hit-ngtcp2")
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory + "/htdocs", withIntermediateDirectories: true)
        try Data("Hello, hit\n".utf8).write(to: URL(fileURLWithPath: directory + "/htdocs/index.html"))
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = Self.root + "/usr/lib/x86_64-linux-gnu"
        // It says nothing once bound: it has bound its port once it holds a UDP socket on it.
        helper = try HelperProcess("gtlsserver", directory: directory, draw: { try freePort(type: SOCK_DGRAM) }, timeout: 5, launch: { port in
            .init(Self.binary, ["-q", "-d", directory + "/htdocs", "127.0.0.1", String(port), certificates.serverKey, certificates.serverCertificate],
                  environment: environment)
        }, ready: { _, port in Self.holdsUDP(port: port) })
        url = "https://127.0.0.1:\(helper.port)/index.html"
    }

    deinit {
        helper.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Whether a UDP socket is bound to 127.0.0.1:`port` (from /proc/net/udp).
    static func holdsUDP(port: Int) -> Bool {
        let wanted = String(format: "0100007F:%04X", port)
        guard let table = try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8) else { return false }
        return table.split(separator: "\n").contains { $0.split(separator: " ").dropFirst().first == Substring(wanted) }
    }
}
