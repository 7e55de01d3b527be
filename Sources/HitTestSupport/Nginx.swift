import Foundation

/// nginx from Debian on loopback, one worker process, with three servers answering every path
/// with "hello world" (11 bytes): HTTP/2 with prior knowledge (h2c), HTTP/2 over TLS, and TLS
/// without h2 in ALPN (HTTP/1.1 only). Its access log records, for every request, the
/// connection's serial number and how many requests that connection had carried, so that a test
/// can check what the server saw. Set-up: `scripts/setup nginx`.
public final class Nginx: @unchecked Sendable {
    /// `http://127.0.0.1:PORT`, speaking HTTP/2 with prior knowledge only.
    public let h2cURL: String
    /// `https://127.0.0.1:PORT`, offering h2 and http/1.1 in ALPN.
    public let tlsURL: String
    /// `https://127.0.0.1:PORT`, offering http/1.1 only.
    public let tlsHTTP1URL: String
    /// The folder of its configuration, logs and certificates.
    public let directory: String
    private var process: Process?

    /// One request as nginx logged it.
    public struct LoggedRequest: Sendable, Equatable {
        /// nginx's serial number of the connection ($connection).
        public let connection: Int
        /// How many requests that connection had carried, this one included ($connection_requests).
        public let requestOnConnection: Int
        /// `HTTP/2.0` or `HTTP/1.1`.
        public let protocolName: String
        public let status: Int
    }

    /// Whether nginx is installed here.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }
    static let binary = "/usr/sbin/nginx"

    /// Starts nginx. `maxRequestsPerConnection` is `keepalive_requests`: after that many requests
    /// (HTTP/2 streams) nginx ends a connection, with GOAWAY in HTTP/2; 1000 is its default.
    public init(maxRequestsPerConnection: Int = 1000, certificates: Certificates) throws {
        directory = NSTemporaryDirectory() + "hit-nginx-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // The worker runs unprivileged when nginx starts as root: it must reach the folder.
        chmod(directory, 0o755)
        // A test beside this one may draw a port between the draw and nginx's bind: then nginx
        // cannot start, and it starts again on other ports.
        var attempt = 0
        var started: (process: Process, ports: (Int, Int, Int))?
        while started == nil {
            attempt += 1
            let ports = (try freePort(), try freePort(), try freePort())
            try Self.configure(directory: directory, ports: ports,
                               maxRequestsPerConnection: maxRequestsPerConnection, certificates: certificates)
            do {
                started = (try Self.launch(directory: directory, ports: [ports.0, ports.1, ports.2]), ports)
            } catch let error as NginxError where error.portTaken && attempt < 5 {
                continue
            }
        }
        let (process, ports) = started!
        self.process = process
        h2cURL = "http://127.0.0.1:\(ports.0)"
        tlsURL = "https://127.0.0.1:\(ports.1)"
        tlsHTTP1URL = "https://127.0.0.1:\(ports.2)"
    }

    private static func configure(directory: String, ports: (Int, Int, Int), maxRequestsPerConnection: Int,
                                  certificates: Certificates) throws {
        let (h2c, tls, tlsHTTP1) = ports
        let tlsFiles = "ssl_certificate \(certificates.serverCertificate); ssl_certificate_key \(certificates.serverKey);"
        let configuration = """
            worker_processes 1;
            daemon off;
            master_process on;
            error_log \(directory)/error.log;
            pid \(directory)/nginx.pid;
            events { worker_connections 4096; }
            http {
              log_format hit '$connection $connection_requests $server_protocol $status';
              access_log \(directory)/access.log hit;
              client_body_temp_path \(directory)/body;
              proxy_temp_path \(directory)/proxy;
              fastcgi_temp_path \(directory)/fastcgi;
              uwsgi_temp_path \(directory)/uwsgi;
              scgi_temp_path \(directory)/scgi;
              keepalive_requests \(maxRequestsPerConnection);
              server { listen 127.0.0.1:\(h2c) http2; location / { return 200 "hello world"; } }
              server { listen 127.0.0.1:\(tls) ssl http2; \(tlsFiles) location / { return 200 "hello world"; } }
              server { listen 127.0.0.1:\(tlsHTTP1) ssl; \(tlsFiles) location / { return 200 "hello world"; } }
            }
            """
        try configuration.write(toFile: directory + "/nginx.conf", atomically: true, encoding: .utf8)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts nginx again on its ports, and returns once every port accepts connections.
    public func start() throws {
        let ports = [h2cURL, tlsURL, tlsHTTP1URL].compactMap { Int($0.split(separator: ":").last ?? "") }
        process = try Self.launch(directory: directory, ports: ports)
    }

    /// Runs nginx and returns once every port accepts connections and nginx, still running,
    /// has bound them all: a port that another process holds accepts too, while nginx retries
    /// its bind and then exits.
    private static func launch(directory: String, ports: [Int]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-c", directory + "/nginx.conf", "-p", directory]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? FileManager.default.removeItem(atPath: directory + "/error.log")
        try process.run()
        let errorLog = { (try? String(contentsOfFile: directory + "/error.log", encoding: .utf8)) ?? "" }
        let failed = { errorLog().contains("[emerg]") }  // bind() or listen() failed
        let ready = eventually(within: 10) {
            failed() || !process.isRunning || ports.allSatisfy(accepts)
        }
        guard ready, process.isRunning, !failed() else {
            let log = errorLog()
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw NginxError(message: "nginx did not start: \(log)", portTaken: log.contains("Address already in use"))
        }
        return process
    }

    /// Stops nginx at once (SIGTERM: it closes every connection), and waits for it to exit.
    public func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// Every request logged so far.
    public func accessLog() -> [LoggedRequest] {
        let text = (try? String(contentsOfFile: directory + "/access.log", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count == 4, let connection = Int(fields[0]), let requests = Int(fields[1]),
                  let status = Int(fields[3]) else { return nil }
            return LoggedRequest(connection: connection, requestOnConnection: requests,
                                 protocolName: String(fields[2]), status: status)
        }
    }

    /// Empties the access log.
    public func clearAccessLog() {
        _ = truncate(directory + "/access.log", 0)  // nginx appends: it keeps writing from 0
    }

    private static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

public struct NginxError: Error, CustomStringConvertible {
    public let message: String
    /// Whether nginx could not bind one of its ports.
    public var portTaken = false
    public var description: String { message }
}
