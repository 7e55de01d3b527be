import CCurlShim
#if canImport(Glibc)
import Glibc
#endif

/// What sends the requests, as `curl -V` tells it: hit's version, libcurl's, the TLS library
/// libcurl uses, and the features that change what a run can do (HTTP/2, HTTP/3, asynchronous
/// DNS). `hit --version` prints it; a JSON report carries it as `client`.
public struct ClientVersion: Codable, Sendable, Equatable {
    public let hitVersion: String
    /// libcurl's version, e.g. "7.88.1".
    public let libcurl: String
    /// The TLS library, e.g. "OpenSSL/3.0.15"; `nil` without one.
    public let tls: String?
    /// libcurl's features, in `curl -V`'s names: "AsynchDNS", "HTTP2", "HTTP3", "IPv6", "libz"...
    public let features: [String]
    /// The CPUs this process could run on, and the kernel's release (`uname -r`): what `hit
    /// compare` warns about when two runs differ in them. `nil` in reports written before hit
    /// recorded them.
    public var cpus: Int?
    public var kernel: String?

    public init(hitVersion: String, libcurl: String, tls: String?, features: [String], cpus: Int? = nil, kernel: String? = nil) {
        self.hitVersion = hitVersion
        self.libcurl = libcurl
        self.tls = tls
        self.features = features
        self.cpus = cpus
        self.kernel = kernel
    }

    /// Whether this libcurl speaks HTTP/3 (`ClientOptions.HTTPVersion.http3`): built with a QUIC
    /// stack (ngtcp2 and nghttp3, quiche, or OpenSSL's QUIC).
    public var hasHTTP3: Bool { features.contains("HTTP3") }

    /// This process's: the libcurl it loaded.
    public static let current: ClientVersion = {
        let named: [(String, Int32)] = [
            ("AsynchDNS", hit_curl_has_async_dns()), ("brotli", hit_curl_has_brotli()), ("HTTP2", hit_curl_has_http2()),
            ("HTTP3", hit_curl_has_http3()), ("HTTPS-proxy", hit_curl_has_https_proxy()), ("IPv6", hit_curl_has_ipv6()),
            ("libz", hit_curl_has_libz()), ("UnixSockets", hit_curl_has_unix_sockets()), ("zstd", hit_curl_has_zstd()),
        ]
        var system = utsname()
        uname(&system)
        let kernel = withUnsafeBytes(of: &system.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        return ClientVersion(hitVersion: Hit.hitVersion, libcurl: String(cString: hit_curl_version_text()),
                             tls: hit_curl_ssl_version().map { String(cString: $0) },
                             features: named.filter { $0.1 != 0 }.map(\.0), cpus: ProcessCPU.cores, kernel: kernel)
    }()

    /// The text of `hit --version`:
    ///
    ///     hit 0.1.0
    ///     libcurl 7.88.1 (OpenSSL/3.0.15, zlib/1.2.13, nghttp2/1.52.0)
    ///     Features: AsynchDNS HTTP2 IPv6 libz UnixSockets (no HTTP3)
    public var description: String {
        var libraries = [tls].compactMap { $0 }
        if let libz = hit_curl_libz_version() { libraries.append("zlib/" + String(cString: libz)) }
        if let nghttp2 = hit_curl_nghttp2_version() { libraries.append("nghttp2/" + String(cString: nghttp2)) }
        let missing = ["HTTP2", "HTTP3", "AsynchDNS"].filter { !features.contains($0) }
        return "hit \(hitVersion)\n"
            + "libcurl \(libcurl)" + (libraries.isEmpty ? "" : " (" + libraries.joined(separator: ", ") + ")") + "\n"
            + "Features: " + features.joined(separator: " ") + (missing.isEmpty ? "" : " (no " + missing.joined(separator: ", no ") + ")")
    }
}
