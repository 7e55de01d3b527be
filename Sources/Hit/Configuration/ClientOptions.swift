import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// How hit connects: timeouts, connection reuse, redirects, HTTP version, TLS, proxies and
/// name resolution. Every field maps onto a libcurl option, set once per worker.
public struct ClientOptions: Sendable, Equatable {
    /// The HTTP version asked for; its raw value is how a report's configuration writes it.
    public enum HTTPVersion: String, Sendable, Equatable, Codable {
        /// HTTP/1.1, as hey and wrk send.
        case http1_1 = "1.1"
        /// HTTP/2: through ALPN on https, with prior knowledge (h2c) on http.
        case http2 = "2"
        /// HTTP/3 over QUIC (https only), falling back as curl's `--http3` does: libcurl tries
        /// QUIC first and, if no QUIC connection is made in time, HTTP/2 or HTTP/1.1 over TLS.
        /// Needs a libcurl with HTTP/3 (`ClientVersion.current.hasHTTP3`).
        case http3 = "3"
        /// HTTP/3 over QUIC only, as curl's `--http3-only`: no fallback, a request that cannot
        /// have a QUIC connection fails.
        case http3Only = "3-only"

        /// Whether requests share connections as streams (HTTP/2 and HTTP/3), so that the
        /// connections to an origin are planned (`connectionsPerOrigin`, `streamsPerConnection`).
        public var multiplexes: Bool { self != .http1_1 }

        /// Whether this asks for HTTP/3.
        public var isHTTP3: Bool { self == .http3 || self == .http3Only }

        /// The version a response comes in when this is honoured; one below it fell back.
        public var responseVersion: Hit.HTTPVersion {
            switch self {
            case .http1_1: .http1_1
            case .http2: .http2
            case .http3, .http3Only: .http3
            }
        }
    }

    public enum IPVersion: Sendable, Equatable {
        case any, v4, v6
    }

    /// The longest one request may take, redirects included; `nil` for no limit.
    public var timeout: Duration? = .seconds(20)
    /// The longest connecting may take; `nil` for libcurl's default (300 s, within `timeout`).
    public var connectTimeout: Duration?
    /// Reuse connections between requests (on), or open a new one for every request (off).
    public var keepAlive = true
    /// Ask for compressed responses (`Accept-Encoding: gzip`) and decode them (byte counts are of the
    /// decoded body). A request's own `Accept-Encoding` header asks for others; any encoding libcurl
    /// knows is decoded.
    public var compression = true
    /// Follow redirects; a followed chain counts as one request.
    public var followRedirects = false
    public var maxRedirects = 10
    public var httpVersion: HTTPVersion = .http1_1
    /// With HTTP/2 or HTTP/3, the most connections to one origin (h2load's `-c`); `nil` for as
    /// many as the workers need, each filled up to `streamsPerConnection` or the server's stream
    /// limit before another is opened.
    public var connectionsPerOrigin: Int?
    /// With HTTP/2 or HTTP/3, the most requests at once on one connection (h2load's `-m`); `nil`
    /// for the server's limit (HTTP/2's SETTINGS_MAX_CONCURRENT_STREAMS, QUIC's
    /// initial_max_streams_bidi).
    public var streamsPerConnection: Int?
    /// Skip certificate and host-name verification.
    public var insecure = false
    /// A PEM file of certificate authorities to verify the server with.
    public var caCertificate: String?
    /// A client certificate (PEM) and its key.
    public var clientCertificate: String?
    public var clientKey: String?
    /// A proxy URL, e.g. `http://127.0.0.1:3128`; `""` for no proxy at all, not even one from the
    /// environment; `nil` for libcurl's default, as curl's: the proxy the environment names
    /// (`http_proxy`, `https_proxy`, `all_proxy`, less `no_proxy`).
    public var proxy: String?
    /// Hosts reached without the proxy, as curl's `--noproxy` and `no_proxy`: a comma-separated
    /// list of names, domains and addresses, or `*` for every host.
    public var noProxy: String?
    /// Where to read credentials for hosts from, as curl's `--netrc` and `--netrc-file`; `nil` not at all.
    public var netrc: Netrc?

    public enum Netrc: Sendable, Equatable {
        /// `~/.netrc`.
        case home
        case file(String)
    }
    /// Connect through this unix-domain socket instead of TCP.
    public var unixSocket: String?
    /// `HOST:PORT:ADDRESS` entries that pin a name to an address, as curl's `--resolve`.
    public var resolve: [String] = []
    /// `HOST:PORT:HOST2:PORT2` entries that redirect connections, as curl's `--connect-to`.
    public var connectTo: [String] = []
    public var ipVersion: IPVersion = .any
    /// Local addresses to connect from (curl's `--interface`), dealt to the workers in turn:
    /// worker i connects from address i mod count. A connection to one server address and port
    /// needs a local port of its own, so one local address allows some 28,000 connections there
    /// (`net.ipv4.ip_local_port_range`); several allow that many each. Empty: the system chooses.
    public var sourceAddresses: [String] = []

    public init() {}
}

extension ClientOptions {
    /// The proxy a request to `url` goes through, and who named it (`-x`, or the environment
    /// variable), as libcurl chooses it: `-x` first (`""` for none), else `http_proxy` for http
    /// (lower case only), `https_proxy` or `HTTPS_PROXY` for https, then `all_proxy` or `ALL_PROXY`;
    /// none for a host that `--noproxy` or `no_proxy` lists.
    public func proxy(for url: String, environment: [String: String]) -> (url: String, source: String)? {
        if let proxy { return proxy.isEmpty ? nil : (proxy, "-x") }
        if Self.bypasses(String(RequestURL(url).host).lowercased(), noProxy: noProxyList(environment: environment)) { return nil }
        return environmentProxy(for: url, environment: environment)
    }

    /// The environment's proxy for `url`'s scheme, as libcurl looks it up (an empty variable
    /// counts as unset), before any no-proxy list applies.
    func environmentProxy(for url: String, environment: [String: String]) -> (url: String, source: String)? {
        let names = RequestURL(url).isHTTPS ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy"]
        for name in names + ["all_proxy", "ALL_PROXY"] {
            if let value = environment[name], !value.isEmpty { return (value, name) }
        }
        return nil
    }

    /// The hosts that go direct: `--noproxy`, else `no_proxy` or `NO_PROXY` (as libcurl, an empty
    /// variable counts as unset).
    func noProxyList(environment: [String: String]) -> String {
        noProxy ?? [environment["no_proxy"], environment["NO_PROXY"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
    }

    /// Whether `host` is in a no-proxy list, by libcurl 7.88's rules (checked against it): the
    /// list `*` alone bypasses every host; entries are separated by commas or blanks; an IP address
    /// matches an entry equal to it or a CIDR range holding it (`10.0.0.0/8`, `fd00::/8`; `/0` is
    /// the address alone); a name matches itself or a domain it ends in (`example.test` and
    /// `.example.test` both take `api.example.test`, never `badexample.test`). No entry has a port.
    static func bypasses(_ host: String, noProxy: String) -> Bool {
        if noProxy == "*" { return true }
        let address = IPAddressBytes(host)
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        let entries = noProxy.split { $0 == "," || $0 == " " || $0 == "\t" }.map { $0.lowercased() }
        for entry in entries where !entry.isEmpty {
            if let address {
                let parts = entry.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
                let network = parts[0].hasPrefix("[") && parts[0].hasSuffix("]") ? String(parts[0].dropFirst().dropLast()) : String(parts[0])
                guard let range = IPAddressBytes(network), range.bytes.count == address.bytes.count else { continue }
                let width = range.bytes.count * 8
                let bits = parts.count == 2 ? Int(parts[1].prefix { $0.isASCII && $0.isNumber }) ?? 0 : 0
                if bits <= width, address.shares(bits == 0 ? width : bits, bitsWith: range) { return true }
                continue
            }
            var domain = Substring(entry)
            if domain.hasSuffix(".") { domain = domain.dropLast() }
            if domain.hasPrefix(".") { domain = domain.dropFirst() }
            guard !domain.isEmpty else { continue }
            if name == domain || name.hasSuffix("." + domain) { return true }
        }
        return false
    }

    /// Checks a `--resolve` entry: `[+]HOST:PORT:ADDRESS[,ADDRESS]...`.
    public static func isValid(resolve entry: String) -> Bool {
        let parts = Self.fields(entry.hasPrefix("+") ? String(entry.dropFirst()) : entry, count: 3)
        guard let parts, !parts[0].isEmpty, Self.isPort(parts[1]), !parts[2].isEmpty else { return false }
        // The addresses, comma-separated, must be IP literals (IPv6 in brackets or not): libcurl
        // takes anything else for a failed resolve on every request.
        return parts[2].split(separator: ",", omittingEmptySubsequences: false).allSatisfy { item in
            let address = item.hasPrefix("[") && item.hasSuffix("]") ? item.dropFirst().dropLast() : item
            return IPAddressBytes(String(address)) != nil
        }
    }

    /// Checks a `--connect-to` entry: `HOST:PORT:HOST2:PORT2`, where any part may be empty.
    public static func isValid(connectTo entry: String) -> Bool {
        guard let parts = Self.fields(entry, count: 4) else { return false }
        return (parts[1].isEmpty || Self.isPort(parts[1])) && (parts[3].isEmpty || Self.isPort(parts[3]))
    }

    private static func isPort(_ text: Substring) -> Bool {
        UInt16(text).map { $0 > 0 } ?? false
    }

    /// Splits on colons outside square brackets (IPv6 addresses) into exactly `count` fields;
    /// the last field keeps any further colons.
    private static func fields(_ text: String, count: Int) -> [Substring]? {
        var fields: [Substring] = []
        var start = text.startIndex
        var depth = 0
        for index in text.indices {
            switch text[index] {
            case "[": depth += 1
            case "]": depth -= 1
            case ":" where depth == 0 && fields.count < count - 1:
                fields.append(text[start..<index])
                start = text.index(after: index)
            default: break
            }
        }
        fields.append(text[start...])
        return fields.count == count ? fields : nil
    }
}

/// An IPv4 or IPv6 address's bytes, for matching no-proxy ranges and telling the families apart.
package struct IPAddressBytes: Equatable {
    package let bytes: [UInt8]

    package init?(_ text: String) {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    /// Whether the first `bits` bits are the same as `other`'s.
    func shares(_ bits: Int, bitsWith other: IPAddressBytes) -> Bool {
        for index in bytes.indices {
            let remaining = bits - index * 8
            if remaining <= 0 { return true }
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            if bytes[index] & mask != other.bytes[index] & mask { return false }
        }
        return true
    }
}
