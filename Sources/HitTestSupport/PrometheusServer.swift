import Foundation

/// Debian's Prometheus (2.42) on loopback, taking remote write with native histograms
/// (`--web.enable-remote-write-receiver --enable-feature=native-histograms`), with a storage of
/// its own and nothing to scrape: what hit pushes is all it holds. Queried over its HTTP API.
/// Set-up: `scripts/setup prometheus`.
public final class PrometheusServer: @unchecked Sendable {
    /// `http://127.0.0.1:PORT/api/v1/write`.
    public let remoteWriteURL: String
    public let port: Int
    private let directory: String
    private let helper: HelperProcess

    static let binary = "/usr/bin/prometheus"

    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    public init() throws {
        let directory = try temporaryDirectory("hit-prometheus")
        self.directory = directory
        try "global:\n  scrape_interval: 1h\n".write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        helper = try HelperProcess("prometheus", directory: directory, timeout: 30) { port in
            .init(Self.binary, ["--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
                                "--web.listen-address=127.0.0.1:\(port)", "--web.enable-remote-write-receiver",
                                "--enable-feature=native-histograms", "--log.level=warn"])
        } ready: { _, port in
            (try? httpGet(port: port, path: "/-/ready"))?.status == 200
        }
        port = helper.port
        remoteWriteURL = "http://127.0.0.1:\(port)/api/v1/write"
    }

    deinit {
        helper.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// One result of an instant query: its labels and its value.
    public struct Sample: Sendable {
        public let labels: [String: String]
        public let value: Double
    }

    /// The instant vector `query` evaluates to now.
    public func query(_ query: String) throws -> [Sample] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let response = try httpGet(port: port, path: "/api/v1/query?query=\(encoded)")
        guard response.status == 200,
              let json = try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any],
              let data = json["data"] as? [String: Any], let results = data["result"] as? [[String: Any]] else {
            throw HelperProcessError(description: "the query \(query) failed: \(response.status) \(response.body)")
        }
        return results.compactMap { result in
            guard let value = result["value"] as? [Any], value.count == 2, let text = value[1] as? String, let number = Double(text) else { return nil }
            return Sample(labels: result["metric"] as? [String: String] ?? [:], value: number)
        }
    }

    /// What Prometheus said about itself: its log, for a test's message.
    public var output: String { (try? String(contentsOfFile: helper.outputPath, encoding: .utf8)) ?? "" }
}

/// A GET of `path` from 127.0.0.1:`port` over HTTP/1.0 (the server closes the connection after
/// the response): its status and body.
public func httpGet(port: Int, path: String) throws -> (status: Int, body: String) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw HelperProcessError(description: "socket: \(errno)") }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw HelperProcessError(description: "connect to port \(port): \(errno)") }
    let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8)
    guard send(descriptor, request, request.count, 0) == request.count else { throw HelperProcessError(description: "send: \(errno)") }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = recv(descriptor, &buffer, buffer.count, 0)
        if count <= 0 { break }
        response.append(contentsOf: buffer[0..<count])
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let end = text.range(of: "\r\n\r\n"), let status = Int(text.split(separator: " ").dropFirst().first ?? "") else {
        throw HelperProcessError(description: "no HTTP response from port \(port)")
    }
    return (status, String(text[end.upperBound...]))
}
