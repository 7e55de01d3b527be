/// A target made ready for libcurl once per run: its URL is parsed and its header list built once
/// and, like the body, shared by every worker. libcurl only reads them.
final class CurlTarget: Sendable {
    let request: Request
    /// Its URL, parsed once for every transfer; nil when libcurl refuses it, and each transfer
    /// then fails with libcurl's reason. (A templated URL is set as a string for each request.)
    let url: CurlURL?
    /// The header lines for the server, as libcurl takes them.
    let headers: CurlStringList
    /// The header lines for the proxy only (`Proxy-Authorization`): never sent to a server, so
    /// never carried along a redirect to another host.
    let proxyHeaders: CurlStringList
    /// Which of the request's header lines go to the server (the others, to the proxy).
    private let serverLines: [Bool]
    /// `scheme://host:port`: what connections are shared by.
    let origin: String
    /// The proxy and no-proxy list its transfers give libcurl, decided once from `-x`,
    /// `--noproxy` and the environment as libcurl would decide them, so that libcurl does not read
    /// half a dozen environment variables on every transfer ("" for none). `nil` where libcurl
    /// must still read them itself: redirects followed to another scheme may need another proxy.
    let proxy: String?
    let noProxy: String?

    init(_ request: Request, client: ClientOptions = ClientOptions(), environment: [String: String] = [:]) throws(SetupError) {
        self.request = request
        url = CurlURL(request.url)
        if client.followRedirects {
            proxy = client.proxy
            noProxy = client.noProxy
        } else {
            // libcurl applies the no-proxy list itself, by its own rules (ports, CIDR ranges).
            proxy = client.proxy ?? client.environmentProxy(for: request.url, environment: environment)?.url ?? ""
            noProxy = client.noProxyList(environment: environment)
        }
        let serverLines = request.headers.map { !Self.isProxyHeader($0) }
        self.serverLines = serverLines
        headers = try CurlStringList(Self.serverHeaders(request.headers, serverLines: serverLines, hasBody: request.body != nil),
                                     what: "the header")
        proxyHeaders = try CurlStringList(zip(request.headers, serverLines).filter { !$0.1 }.map(\.0), what: "the header")
        origin = request.parsedURL.origin
    }

    /// The lines of `lines` that go to the server (`serverLines`, one for one), as libcurl takes
    /// them. A body of more than 1 MB would make libcurl wait for "100 Continue"; a load test must not.
    private static func serverHeaders(_ lines: [String], serverLines: [Bool], hasBody: Bool) -> [String] {
        var server: [String] = []
        server.reserveCapacity(lines.count + 1)
        for (line, toServer) in zip(lines, serverLines) where toServer { server.append(line) }
        if hasBody { server.append("Expect:") }
        return server
    }

    /// This target's server header lines, for `lines` rendered from its own (one for one):
    /// which lines go to the server was decided once, from the target's.
    func serverHeaders(_ lines: [String]) -> [String] {
        Self.serverHeaders(lines, serverLines: serverLines, hasBody: request.body != nil)
    }

    private static func isProxyHeader(_ line: String) -> Bool {
        line.split(separator: ":", maxSplits: 1).first?.trimmingWhitespace().lowercased() == "proxy-authorization"
    }
}
