import CCurlShim

/// libcurl's process-wide set-up, done once, before the first handle is made.
private let curlIsInitialised: Bool = hit_curl_global_init() == CURLE_OK

/// One worker's easy handle, configured once and reused for every request it sends, so that its
/// connection stays alive between requests. The body is counted and discarded, never kept.
/// Not thread-safe: one event-loop thread uses it at a time.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let bodyBytes: UnsafeMutablePointer<curl_off_t>
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init(request: Request, options: Options) throws(SetupError) {
        guard curlIsInitialised, let handle = curl_easy_init() else {
            throw SetupError("libcurl could not be initialised")
        }
        self.handle = handle
        bodyBytes = .allocate(capacity: 1)
        bodyBytes.initialize(to: 0)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try configure(request: request, options: options)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        bodyBytes.deallocate()
        errorBuffer.deallocate()
    }

    private func configure(request: Request, options: Options) throws(SetupError) {
        try set(CURLOPT_URL, request.url)
        // Only web protocols, also across redirects: libcurl would run file:// or ftp:// otherwise.
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        // Many threads, no SIGALRM for DNS timeouts.
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_USERAGENT, "hit/\(hitVersion)")
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_TIMEOUT_MS, options.timeout.map { Int($0.milliseconds) } ?? 0)
        try check(hit_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(hit_easy_count_and_discard_body(handle, bodyBytes), "the body counter")

        switch request.method {
        case "GET": break
        case "HEAD": try set(CURLOPT_NOBODY, 1)
        default: try set(CURLOPT_CUSTOMREQUEST, request.method)
        }
        for header in request.headers {
            guard let list = curl_slist_append(headerList, header) else {
                throw SetupError("libcurl could not store the header '\(header)'")
            }
            headerList = list
        }
        if let headerList {
            try check(hit_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        }
    }

    /// Clears what the previous transfer left behind. Call before adding the handle to a multi.
    func prepare() {
        bodyBytes.pointee = 0
        errorBuffer[0] = 0
    }

    /// What the transfer that just ended with `code` amounted to.
    func result(code: CURLcode) -> RequestResult {
        var status = 0
        var totalMicroseconds: curl_off_t = 0
        hit_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        hit_easy_getinfo_off(handle, CURLINFO_TOTAL_TIME_T, &totalMicroseconds)
        return RequestResult(
            status: status,
            bytes: Int(bodyBytes.pointee),
            latency: .microseconds(totalMicroseconds),
            error: code == CURLE_OK ? nil : TransferError(code: code, detail: String(cString: errorBuffer))
        )
    }

    // MARK: - Typed setopt

    private func set(_ option: CURLoption, _ value: Int) throws(SetupError) {
        try check(hit_easy_setopt_long(handle, option, value), "option \(option.rawValue)")
    }

    private func set(_ option: CURLoption, _ value: String) throws(SetupError) {
        try check(hit_easy_setopt_string(handle, option, value), "option \(option.rawValue) = \(value)")
    }

    private func check(_ code: CURLcode, _ what: @autoclosure () -> String) throws(SetupError) {
        guard code == CURLE_OK else {
            throw SetupError("libcurl refused \(what()): \(String(cString: curl_easy_strerror(code)))")
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}

extension TransferError {
    /// Sorts a libcurl error code into the kind a user acts on, keeping libcurl's own message.
    init(code: CURLcode, detail: String) {
        let kind: Kind = switch code {
        case CURLE_COULDNT_CONNECT: .connect
        case CURLE_OPERATION_TIMEDOUT: .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: .dns
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED:
            .tls
        case CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE: .reset
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_BAD_CONTENT_ENCODING,
             CURLE_UNSUPPORTED_PROTOCOL, CURLE_TOO_MANY_REDIRECTS, CURLE_HTTP3:
            .protocolError
        default: .other
        }
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        self.init(kind: kind, message: message)
    }
}
