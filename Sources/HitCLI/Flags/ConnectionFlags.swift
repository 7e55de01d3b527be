import ArgumentParser
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit

/// How connections are made: timeouts, reuse, redirects, HTTP version, proxy, resolution.
struct ConnectionFlags: ParsableArguments {
    @Option(name: [.customShort("t"), .customLong("timeout"), .customLong("max-time")], parsing: .unconditional,
            help: ArgumentHelp("Seconds one request may take (or a duration such as 500ms); 0 for no limit. A timeout is an error of its own kind.", valueName: "seconds"))
    var timeout = "20"

    @Option(name: .customLong("connect-timeout"), parsing: .unconditional,
            help: ArgumentHelp("Seconds connecting may take (or a duration).", valueName: "seconds"))
    var connectTimeout: String?

    @Flag(name: [.customLong("disable-keepalive", withSingleDash: true), .customLong("disable-keepalive")],
          help: "Open a new connection for every request.")
    var disableKeepAlive = false

    @Flag(name: [.customShort("L"), .customLong("location")], help: "Follow redirects; a followed chain counts as one request.")
    var followRedirects = false

    @Option(name: .customLong("max-redirs"), parsing: .unconditional, help: ArgumentHelp("Most redirects to follow with -L.", valueName: "n"))
    var maxRedirects = 10

    @Flag(name: [.customLong("h2", withSingleDash: true), .customLong("http2"), .customLong("http2-prior-knowledge")],
          help: "HTTP/2: through ALPN on https, with prior knowledge (h2c) on http (also spelled --http2-prior-knowledge).")
    var http2 = false

    @Flag(name: [.customLong("h3", withSingleDash: true), .customLong("http3")],
          help: "HTTP/3 over QUIC (https only), falling back to TCP as curl's --http3 does; needs a libcurl with HTTP/3 (scripts/build-http3).")
    var http3 = false

    @Flag(name: .customLong("http3-only"), help: "HTTP/3 over QUIC only: no fallback, as curl's --http3-only.")
    var http3Only = false

    @Flag(name: .customLong("http1.1"), help: "HTTP/1.1 (the default).")
    var http1_1 = false

    @Option(name: [.customShort("x"), .customLong("proxy")],
            help: ArgumentHelp("Proxy URL, e.g. http://127.0.0.1:3128; '' for none. Without -x, as curl: the proxy http_proxy, https_proxy or all_proxy names.", valueName: "url"))
    var proxy: String?

    @Option(name: .customLong("noproxy"),
            help: ArgumentHelp("Hosts to reach without the proxy, comma-separated; '*' for all (as curl's --noproxy and no_proxy).", valueName: "hosts"))
    var noProxy: String?

    @Flag(name: .customLong("netrc"), help: "Read host credentials from ~/.netrc, as curl does: keeps passwords out of the arguments.")
    var netrc = false

    @Option(name: .customLong("netrc-file"), help: ArgumentHelp("Read host credentials from this netrc file.", valueName: "path"))
    var netrcFile: String?

    @Option(name: .customLong("unix-socket"), help: ArgumentHelp("Connect through this unix-domain socket.", valueName: "path"))
    var unixSocket: String?

    @Option(name: .customLong("resolve"), help: ArgumentHelp("Pin HOST:PORT to ADDRESS, as curl does; repeatable.", valueName: "host:port:address"))
    var resolve: [String] = []

    @Option(name: .customLong("connect-to"), help: ArgumentHelp("Connect to HOST2:PORT2 instead of HOST:PORT, as curl does; repeatable.", valueName: "host:port:host2:port2"))
    var connectTo: [String] = []

    @Option(name: .customLong("interface"),
            help: ArgumentHelp("Connect from this local address, as curl's --interface; repeatable: the workers take the "
                + "addresses in turn, which gets past one address's ~28,000 local ports (127.0.0.2, 127.0.0.3, … on loopback).",
                valueName: "address"))
    var interfaces: [String] = []

    @Flag(name: [.customShort("4"), .customLong("ipv4")], help: "Resolve names to IPv4 addresses only.")
    var ipv4 = false

    @Flag(name: [.customShort("6"), .customLong("ipv6")], help: "Resolve names to IPv6 addresses only.")
    var ipv6 = false

    func apply(to client: inout ClientOptions) throws(UsageError) {
        try applyTimeouts(to: &client)
        client.keepAlive = !disableKeepAlive
        client.followRedirects = followRedirects
        guard maxRedirects >= 0 else { throw UsageError("--max-redirs must be 0 or more, not \(maxRedirects)") }
        client.maxRedirects = maxRedirects
        client.httpVersion = try httpVersion(libcurlHasHTTP3: ClientVersion.current.hasHTTP3)
        if let proxy, proxy.isEmpty {
            client.proxy = ""  // no proxy at all, as curl's -x ''
        } else if let proxy {
            try Self.validate(proxy: proxy, source: nil)
            client.proxy = proxy
        }
        client.noProxy = noProxy
        if let netrcFile {
            try Readable.check(netrcFile, flag: "--netrc-file")
            client.netrc = .file(netrcFile)
        } else if netrc {
            client.netrc = .home
        }
        if let unixSocket { client.unixSocket = try Self.checked(unixSocket: unixSocket) }
        for entry in resolve where !ClientOptions.isValid(resolve: entry) {
            throw UsageError("--resolve '\(UsageError.escaped(entry))' is not HOST:PORT:ADDRESS, the address an IP literal as curl needs")
        }
        client.resolve = resolve
        for entry in connectTo where !ClientOptions.isValid(connectTo: entry) {
            throw UsageError("--connect-to '\(entry)' is not HOST:PORT:HOST2:PORT2")
        }
        client.connectTo = connectTo
        for address in interfaces {
            try Self.checkLocal(address)
        }
        client.sourceAddresses = interfaces
        if ipv4 && ipv6 { throw UsageError("choose -4 or -6, not both") }
        client.ipVersion = ipv4 ? .v4 : ipv6 ? .v6 : .any
    }

    /// The one HTTP version asked for; HTTP/3 only of a libcurl that has it.
    func httpVersion(libcurlHasHTTP3: Bool) throws(UsageError) -> ClientOptions.HTTPVersion {
        let asked = [(http1_1, ClientOptions.HTTPVersion.http1_1), (http2, .http2), (http3, .http3), (http3Only, .http3Only)]
            .filter(\.0).map(\.1)
        guard asked.count <= 1 else {
            throw UsageError("choose one HTTP version: " + asked.map(Self.flag(of:)).joined(separator: " or ") + ", not both")
        }
        let version = asked.first ?? .http1_1
        if version.isHTTP3 && !libcurlHasHTTP3 {
            throw UsageError("\(Self.flag(of: version)): this libcurl (\(ClientVersion.current.libcurl)) has no HTTP/3; "
                + "scripts/build-http3 builds a hit that has it (see the README's HTTP/3 section)")
        }
        return version
    }

    /// How a user asks for `version`.
    static func flag(of version: ClientOptions.HTTPVersion) -> String {
        switch version {
        case .http1_1: "--http1.1"
        case .http2: "-h2"
        case .http3: "-h3"
        case .http3Only: "--http3-only"
        }
    }

    /// -t and --connect-timeout, in what libcurl can measure (whole milliseconds; 0 is no limit).
    private func applyTimeouts(to client: inout ClientOptions) throws(UsageError) {
        guard let timeout = Duration(seconds: self.timeout) else {
            throw UsageError("-t '\(self.timeout)' is not a number of seconds or a duration")
        }
        // libcurl counts timeouts in whole milliseconds, and takes 0 for "no limit".
        let meansNoLimit = !self.timeout.contains { "123456789".contains($0) }  // 0, 0s, 0.0
        if timeout < .milliseconds(1) && !meansNoLimit {
            throw UsageError("-t '\(self.timeout)' is under 1ms, which libcurl cannot measure: give 1ms or more, or 0 for no limit")
        }
        client.timeout = timeout == .zero ? nil : timeout
        if let connectTimeout {
            guard let parsed = Duration(seconds: connectTimeout), parsed > .zero else {
                throw UsageError("--connect-timeout '\(connectTimeout)' is not a positive number of seconds or a duration")
            }
            guard parsed >= .milliseconds(1) else {
                throw UsageError("--connect-timeout '\(connectTimeout)' is under 1ms, which libcurl cannot measure")
            }
            client.connectTimeout = parsed
        }
    }

    /// A --unix-socket path that names a socket and fits in a socket address.
    private static func checked(unixSocket: String) throws(UsageError) -> String {
        var status = stat()
        guard stat(unixSocket, &status) == 0 else {
            throw UsageError("--unix-socket '\(UsageError.escaped(unixSocket))': no such file")
        }
        guard status.st_mode & S_IFMT == S_IFSOCK else {
            throw UsageError("--unix-socket '\(UsageError.escaped(unixSocket))' is not a socket")
        }
        guard unixSocket.utf8.count < 108 else {
            throw UsageError("--unix-socket '\(UsageError.escaped(unixSocket))' is longer than a socket path may be (107 bytes)")
        }
        return unixSocket
    }

    /// What the targets' routes make impossible, refused before anything is sent: a proxy from the
    /// environment that libcurl could not use (checked as `-x` is), and `-4` or `-6` with a target
    /// whose host is an address of the other family.
    static func checkRoutes(of targets: [Request], client: ClientOptions, environment: [String: String]) throws(UsageError) {
        var seen: Set<String> = []
        if client.httpVersion.isHTTP3 {
            let flag = flag(of: client.httpVersion)
            if client.unixSocket != nil { throw UsageError("\(flag) cannot go through --unix-socket: QUIC runs over UDP") }
            if let plain = targets.first(where: { !$0.isHTTPS }) {
                throw UsageError("\(flag) needs https: QUIC is always encrypted, and '\(Redaction.url(plain.url))' is http")
            }
        }
        for url in targets.map(\.url) where seen.insert(url).inserted {
            let proxy = client.proxy(for: url, environment: environment)
            if client.httpVersion == .http3Only, let proxy {
                throw UsageError("--http3-only cannot go through a proxy (\(Redaction.url(proxy.url)) from \(proxy.source)): "
                    + "libcurl tunnels only TCP; use -h3, which goes through it over TCP, or --noproxy '*'")
            }
            if let proxy, proxy.source != "-x" { try validate(proxy: proxy.url, source: proxy.source) }
            guard proxy == nil, client.unixSocket == nil, client.connectTo.isEmpty else { continue }
            // The URLs are valid by now: a host in brackets is an IPv6 address.
            let parsed = RequestURL(url)
            if client.ipVersion == .v4, parsed.hostAndPort.hasPrefix("[") {
                throw UsageError("-4 cannot reach '\(Redaction.url(url))': its host is an IPv6 address")
            }
            if client.ipVersion == .v6, IPAddressBytes(String(parsed.host))?.bytes.count == 4 {
                throw UsageError("-6 cannot reach '\(Redaction.url(url))': its host is an IPv4 address")
            }
        }
    }

    /// Checks a proxy URL (`-x`, or the environment's variable `source`) as libcurl would take it:
    /// without a scheme, http.
    static func validate(proxy: String, source: String?) throws(UsageError) {
        do {
            try Request.validate(url: proxy.contains("://") ? proxy : "http://" + proxy,
                                 schemes: ["http", "https", "socks4", "socks4a", "socks5", "socks5h"])
        } catch {
            throw UsageError("bad proxy '\(Redaction.url(proxy))'\(source.map { " from \($0)" } ?? ""): \(error)")
        }
    }

    /// Refuses an --interface that is not an IP address this machine can connect from.
    static func checkLocal(_ address: String) throws(UsageError) {
        let shown = UsageError.escaped(address)
        var v4 = sockaddr_in(), v6 = sockaddr_in6()
        let bound: Int32
        if inet_pton(AF_INET, address, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            bound = Self.canBind(family: AF_INET, &v4, length: MemoryLayout<sockaddr_in>.size)
        } else if inet_pton(AF_INET6, address, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            bound = Self.canBind(family: AF_INET6, &v6, length: MemoryLayout<sockaddr_in6>.size)
        } else {
            throw UsageError("--interface '\(shown)' is not an IP address (e.g. 127.0.0.2 or ::1)")
        }
        guard bound == 0 else {
            throw UsageError("--interface '\(shown)' is not an address of this machine: \(String(cString: strerror(bound)))")
        }
    }

    /// 0 if a TCP socket can be bound to `address` (port 0), else the errno.
    private static func canBind<Address>(family: Int32, _ address: inout Address, length: Int) -> Int32 {
        let fd = socket(family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(length)) }
        }
        return result == 0 ? 0 : errno
    }
}
