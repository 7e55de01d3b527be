import CCurlShim

/// One worker's easy handle, configured once and reused for every request it sends, so that its
/// connection stays alive between requests. The body is counted and discarded; under a body
/// check its first `ResponseChecks.bodyLimit` bytes are kept, in one buffer allocated once.
/// Not thread-safe: one event-loop thread uses it at a time.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    let client: ClientOptions
    /// The target whose URL, method and headers are set now; kept alive while set.
    private(set) var target: CurlTarget?
    /// Whether the last transfer went over a connection that was already open.
    var reusedConnection = false
    /// Which of its loop's multi handles it always joins: its kept-alive connections live in that
    /// handle's connection cache.
    var multiSlot: Int32 = 0
    /// The `--resolve` and `--connect-to` lists, kept alive while the handle uses them.
    private var resolveList: CurlStringList?
    private var connectToList: CurlStringList?
    /// The header list of rendered requests, rewritten for each and kept while libcurl may read it.
    private let renderedHeaders = CurlHeaderLines()
    /// The rendered request set last, under templating: its values (a feed's tokens) must not
    /// reach an error's message.
    private(set) var rendered: RenderedRequest?
    /// Whether the URL set is a rendered string rather than the target's parsed URL.
    private var urlIsRendered = false
    /// The body's byte count and, under a body check, its kept start.
    let body: UnsafeMutablePointer<hit_body_sink>
    let errorBuffer: UnsafeMutablePointer<CChar>
    /// When the current transfer's request may be written (set by the loop), and when it was
    /// written and ended (CLOCK_MONOTONIC nanoseconds, 0 until then), stamped by the shim's
    /// callbacks on the loop's thread.
    let stamps: UnsafeMutablePointer<hit_transfer_stamps>
    /// What this handle's transfer may receive of headers and trailers (see `headerLimit`).
    let headerBudget: UnsafeMutablePointer<hit_header_budget>
    /// Whether the current transfer may open a connection (see `ConnectionRole`), and whether it was refused.
    let gate: UnsafeMutablePointer<hit_socket_gate>
    /// The role the handle's options are set for; `nil` after `use(_:)` points it elsewhere.
    private var appliedRole: ConnectionRole?
    /// The most header and trailer bytes a transfer may receive (256 KiB): far above any real
    /// response, below libcurl's own 300 KB cap on headers, and a bound on what a hostile server
    /// can make hit hold, trailers included, which libcurl does not bound.
    static let headerLimit = 256 << 10
    /// The receive buffer a worker starts with, libcurl's least (its default is 16 KiB): a response
    /// of a few hundred bytes needs no more, and a run of 5,000 workers keeps 75 MB less.
    static let smallBuffer = 1 << 10
    /// The receive buffer of a worker that has received more than `smallBuffer` in one response:
    /// large bodies then take a quarter of the reads they took with libcurl's default.
    static let largeBuffer = 64 << 10
    /// The receive buffer set now.
    private var bufferSize = CurlEasy.smallBuffer

    /// `sourceAddress`: the local address this worker connects from, if one is set; `keepBody`:
    /// how many bytes of each body to keep (for a body check).
    init(client: ClientOptions, sourceAddress: String? = nil, keepBody: Int = 0) throws(SetupError) {
        guard curlIsInitialised, let handle = curl_easy_init() else {
            throw SetupError("libcurl could not be initialised")
        }
        self.handle = handle
        self.client = client
        Diagnostics.curlHandles.add(1, ordering: .relaxed)
        body = .allocate(capacity: 1)
        // One byte more than kept: a NUL always follows what is kept.
        body.initialize(to: hit_body_sink(count: 0, kept: keepBody > 0 ? .allocate(capacity: keepBody + 1) : nil,
                                          kept_size: 0, capacity: keepBody))
        body.pointee.kept?.initialize(to: 0)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        stamps = .allocate(capacity: 1)
        stamps.initialize(to: hit_transfer_stamps())
        headerBudget = .allocate(capacity: 1)
        headerBudget.initialize(to: hit_header_budget(limit: Self.headerLimit, received: 0, exceeded: 0))
        gate = .allocate(capacity: 1)
        gate.initialize(to: hit_socket_gate())
        gate.pointee.may_open = 1
        gate.pointee.socket = -1
        stamps.pointee.gate = gate
        try configure()
        if let sourceAddress { try set(CURLOPT_INTERFACE, "host!" + sourceAddress) }
    }

    deinit {
        curl_easy_cleanup(handle)
        Diagnostics.curlHandles.subtract(1, ordering: .relaxed)
        body.pointee.kept?.deallocate()
        body.deallocate()
        errorBuffer.deallocate()
        stamps.deallocate()
        headerBudget.deallocate()
        gate.deallocate()
    }

    /// What stays the same for every request this worker sends.
    private func configure() throws(SetupError) {
        // Only web protocols, also across redirects: libcurl would run file:// or ftp:// otherwise.
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Many threads, no SIGALRM for DNS timeouts.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_USERAGENT, "hit/\(hitVersion)")
        try check(hit_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(hit_easy_sink_body(handle, body), "the body counter")
        try check(hit_easy_stamp_transfers(handle, stamps), "the write and end stamps")
        try check(hit_easy_gate_sockets(handle, gate), "the open-socket callback")

        try set(CURLOPT_TIMEOUT_MS, client.timeout.map { Int($0.milliseconds) } ?? 0)
        if let connectTimeout = client.connectTimeout {
            try set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(connectTimeout.milliseconds)))
        }
        if !client.keepAlive {
            try set(CURLOPT_FRESH_CONNECT, 1)
            try set(CURLOPT_FORBID_REUSE, 1)
        }
        if client.compression {
            // `Accept-Encoding: gzip`, as hey sends it. libcurl formats its own request lines a byte
            // at a time, twice for this one: the whole list ("deflate, gzip, br, zstd") cost some
            // 3,800 instructions a request more (bench/RESULTS.md). Decoding does not depend on what
            // was asked: a user's own `Accept-Encoding` header replaces this one, and whatever
            // encoding libcurl knows is decoded.
            try set(CURLOPT_ACCEPT_ENCODING, "gzip")
        }
        try set(CURLOPT_FOLLOWLOCATION, client.followRedirects ? 1 : 0)
        try set(CURLOPT_MAXREDIRS, client.maxRedirects)
        if client.insecure {
            try set(CURLOPT_SSL_VERIFYPEER, 0)
            try set(CURLOPT_SSL_VERIFYHOST, 0)
        }
        if let path = client.caCertificate { try set(CURLOPT_CAINFO, path) }
        if let path = client.clientCertificate { try set(CURLOPT_SSLCERT, path) }
        if let path = client.clientKey { try set(CURLOPT_SSLKEY, path) }
        switch client.netrc {
        case nil: break
        case .home: try set(CURLOPT_NETRC, hit_curl_netrc_optional)
        case .file(let path):
            try set(CURLOPT_NETRC, hit_curl_netrc_optional)
            try set(CURLOPT_NETRC_FILE, path)
        }
        try check(hit_easy_limit_headers(handle, headerBudget), "the header limit")
        try set(CURLOPT_BUFFERSIZE, bufferSize)
        if let path = client.unixSocket { try set(CURLOPT_UNIX_SOCKET_PATH, path) }
        resolveList = try list(client.resolve, CURLOPT_RESOLVE)
        connectToList = try list(client.connectTo, CURLOPT_CONNECT_TO)
        switch client.ipVersion {
        case .any: break
        case .v4: try set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V4))
        case .v6: try set(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V6))
        }
    }

    /// Points the handle at `target`, unless it already is.
    func use(_ target: CurlTarget) throws(SetupError) {
        guard target !== self.target else { return }
        let request = target.request
        // Switching between targets (a mix), only what differs from the previous target is set:
        // each option set costs, and a weighted mix switches at almost every request.
        let previous = self.target
        let sameMethod = previous.map { $0.request.method == request.method && ($0.request.body == nil) == (request.body == nil) } ?? false
        if !sameMethod {
            // Back to a plain GET first, so nothing of the previous target's method lingers.
            try check(hit_easy_setopt_string(handle, CURLOPT_CUSTOMREQUEST, nil), "CURLOPT_CUSTOMREQUEST")
            try set(CURLOPT_HTTPGET, 1)
        }
        try setURL(of: target)
        if let body = request.body, !(sameMethod && previous?.request.body === body) {
            try check(hit_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "the body size")
            try check(hit_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, body.bytes), "the body")
        }
        if !sameMethod {
            switch request.method {
            case "HEAD": try set(CURLOPT_NOBODY, 1)
            case request.body == nil ? "GET" : "POST": break
            default: try set(CURLOPT_CUSTOMREQUEST, request.method)
            }
        }
        if previous?.headers.pointer != target.headers.pointer || previous == nil {
            try check(hit_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, target.headers.pointer), "CURLOPT_HTTPHEADER")
        }
        if previous == nil {
            // Server headers go to the server only and proxy headers to the proxy only.
            try set(CURLOPT_HEADEROPT, Int(CURLHEADER_SEPARATE))
        }
        if previous?.proxyHeaders.pointer != target.proxyHeaders.pointer || previous == nil {
            try check(hit_easy_setopt_slist(handle, CURLOPT_PROXYHEADER, target.proxyHeaders.pointer), "CURLOPT_PROXYHEADER")
        }
        if previous == nil || previous?.request.credentials != request.credentials {
            if let credentials = request.credentials {
                try set(CURLOPT_HTTPAUTH, hit_curlauth_basic)
                try set(CURLOPT_USERNAME, credentials.user)
                try set(CURLOPT_PASSWORD, credentials.password)
            } else {
                try check(hit_easy_setopt_string(handle, CURLOPT_USERNAME, nil), "CURLOPT_USERNAME")
                try check(hit_easy_setopt_string(handle, CURLOPT_PASSWORD, nil), "CURLOPT_PASSWORD")
            }
        }
        if previous == nil || previous?.proxy != target.proxy || previous?.noProxy != target.noProxy {
            // "" turns the environment's off; nil leaves libcurl to read it.
            try check(hit_easy_setopt_string(handle, CURLOPT_PROXY, target.proxy), "CURLOPT_PROXY")
            try check(hit_easy_setopt_string(handle, CURLOPT_NOPROXY, target.noProxy), "CURLOPT_NOPROXY")
        }
        self.target = target
        rendered = nil
        // The HTTP version and the connection role's options depend on the scheme alone.
        if previous?.request.isHTTPS != request.isHTTPS { appliedRole = nil }
        take(.any)
    }

    /// Sets `target`'s own URL: parsed once (`CURLOPT_CURLU`), or as its text when libcurl
    /// refused to parse it, for the transfer to fail with libcurl's reason.
    private func setURL(of target: CurlTarget) throws(SetupError) {
        if let parsed = target.url {
            try check(hit_easy_setopt_pointer(handle, CURLOPT_CURLU, UnsafeMutableRawPointer(parsed.handle)), "CURLOPT_CURLU")
        } else {
            try check(hit_easy_setopt_pointer(handle, CURLOPT_CURLU, nil), "CURLOPT_CURLU")
            try set(CURLOPT_URL, target.request.url)
        }
        urlIsRendered = false
    }

    /// Sets this transfer's URL, header lines and body as its templates rendered them, over those
    /// of `target` (whose proxy, method and credentials stay). libcurl copies the URL and the
    /// body; the header list is kept until the next transfer.
    func apply(_ rendered: RenderedRequest, of target: CurlTarget) {
        self.rendered = rendered
        if let url = rendered.url {
            // A parsed URL would take precedence over the string.
            if !urlIsRendered { _ = hit_easy_setopt_pointer(handle, CURLOPT_CURLU, nil) }
            urlIsRendered = true
            _ = hit_easy_setopt_string(handle, CURLOPT_URL, url)
        } else if urlIsRendered {
            try? setURL(of: target)
        }
        if let headers = rendered.headers {
            _ = hit_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, renderedHeaders.set(target.serverHeaders(headers)))
        }
        if let body = rendered.body {
            _ = hit_easy_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            _ = body.withUnsafeBytes { hit_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: $0.baseAddress)) }
        }
    }

    /// Grows the receive buffer once a response came in more than one buffer's worth: libcurl
    /// reallocates it before the next transfer.
    func fitBuffer(toReceived bytes: Int) {
        guard bytes > bufferSize, bufferSize < Self.largeBuffer else { return }
        bufferSize = Self.largeBuffer
        _ = hit_easy_setopt_long(handle, CURLOPT_BUFFERSIZE, bufferSize)
    }

    /// The start of the last transfer's body that was kept (empty unless `keepBody`), always
    /// followed in memory by a NUL.
    var keptBody: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: body.pointee.kept, count: body.pointee.kept_size)
    }

    /// Clears what the previous transfer left behind. Call before adding the handle to a multi;
    /// then set `stamps.pointee.not_before_ns` if the request must wait for its due time.
    func prepare() {
        body.pointee.count = 0
        body.pointee.kept_size = 0
        body.pointee.kept?.pointee = 0
        errorBuffer[0] = 0
        hit_transfer_stamps_reset(stamps)
        headerBudget.pointee.received = 0
        headerBudget.pointee.exceeded = 0
        gate.pointee.refused = 0
        gate.pointee.socket = -1
        gate.pointee.keep_first_bytes = 0
        gate.pointee.first_count = 0
        gate.pointee.received_at_close = -1
    }

    /// Whether libcurl calls the progress callback, which stamps the transfer's end
    /// (`stamps.ended_ns`) and keeps an h2c server's first bytes; `hit_easy_stamp_transfers`
    /// turns it on.
    private var reportsProgress = true

    /// Turns the progress callback on for a transfer that needs it: a paced one (its corrected
    /// latency runs to the stamped end) or a watched h2c opener. Off, libcurl skips a callback and
    /// a clock read at every turn of every other transfer.
    func reportProgress(_ on: Bool) {
        guard on != reportsProgress else { return }
        reportsProgress = on
        _ = hit_easy_setopt_long(handle, CURLOPT_NOPROGRESS, on ? 0 : 1)
    }

    /// The first bytes the server sent on the transfer's connection, as kept while
    /// `gate.keep_first_bytes` is set; `nil` when some went unseen.
    /// Whether the server closed the connection of the last transfer's own socket without having
    /// sent a byte (counted as libcurl closed it; see `hit_socket_gate.received_at_close`).
    var serverSentNothing: Bool {
        gate.pointee.first_count == 0 && gate.pointee.received_at_close == 0
    }

    var serversFirstBytes: [UInt8]? {
        let count = Int(gate.pointee.first_count)
        guard count >= 0 else { return nil }
        // The connection closed with bytes received that no look saw: libcurl read them first.
        if count < Int(HIT_FIRST_BYTES), gate.pointee.received_at_close > Int64(count) { return nil }
        return withUnsafeBytes(of: &gate.pointee.first_bytes) { Array($0.prefix(count)) }
    }

    /// Sets the handle's options for `role`, unless they are set for it already.
    func take(_ role: ConnectionRole) {
        guard role != appliedRole, let target else { return }
        gate.pointee.may_open = role == .follower ? 0 : 1
        _ = hit_easy_setopt_long(handle, CURLOPT_PIPEWAIT, role == .follower ? 1 : 0)
        if client.keepAlive { _ = hit_easy_setopt_long(handle, CURLOPT_FRESH_CONNECT, role == .opener ? 1 : 0) }
        _ = hit_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, httpVersion(for: role, https: target.request.isHTTPS))
        appliedRole = role
    }

    /// What to ask libcurl for: HTTP/2 through ALPN on https; on http, prior knowledge, except for
    /// a follower on a libcurl whose h2c reuse is broken, which asks for plain HTTP/2: on the h2c
    /// connection it multiplexes on, that skips the broken switch, and it never opens one itself.
    /// HTTP/3 as curl's `--http3` (QUIC first, TCP if QUIC does not connect in time) or
    /// `--http3-only`.
    private func httpVersion(for role: ConnectionRole, https: Bool) -> Int {
        switch client.httpVersion {
        case .http1_1: CURL_HTTP_VERSION_1_1
        case .http2 where https: CURL_HTTP_VERSION_2TLS
        case .http2: role == .follower && h2cReuseIsBroken ? CURL_HTTP_VERSION_2_0 : CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE
        case .http3: CURL_HTTP_VERSION_3
        case .http3Only: CURL_HTTP_VERSION_3ONLY
        }
    }

    // MARK: - Typed setopt

    private func set(_ option: CURLoption, _ value: Int) throws(SetupError) {
        try check(hit_easy_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, _ value: String) throws(SetupError) {
        try check(hit_easy_setopt_string(handle, option, value), "option \(option.rawValue)")
    }

    private func list(_ entries: [String], _ option: CURLoption) throws(SetupError) -> CurlStringList? {
        guard !entries.isEmpty else { return nil }
        let list = try CurlStringList(entries)
        try check(hit_easy_setopt_slist(handle, option, list.pointer), "option \(option.rawValue)")
        return list
    }

    private func check(_ code: CURLcode, _ what: @autoclosure () -> String) throws(SetupError) {
        guard code == CURLE_OK else {
            throw SetupError("libcurl refused \(what()): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
