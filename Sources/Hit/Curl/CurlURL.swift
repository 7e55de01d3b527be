import CCurlShim

/// libcurl's own URL parser, asked before a run whether it takes a target: a URL it refuses
/// would fail every request with exit 1 instead of being refused up front.
enum CurlURL {
    /// libcurl's reason for refusing `url`, as `curl_url_strerror` words it; nil when it takes it.
    /// The flags are the ones a transfer parses its URL with (CURLU_NON_SUPPORT_SCHEME,
    /// CURLU_GUESS_SCHEME).
    static func refusal(of url: String) -> String? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        let flags: UInt32 = (1 << 3) | (1 << 9)
        let code = curl_url_set(handle, CURLUPART_URL, url, flags)
        guard code != CURLUE_OK else { return nil }
        return curl_url_strerror(code).map { String(cString: $0) } ?? "libcurl's error \(code.rawValue)"
    }
}
