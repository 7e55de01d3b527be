import CCurlShim

/// A URL as libcurl's own parser takes it (a `CURLU` handle), parsed once per target.
///
/// A transfer given its URL as a string (`CURLOPT_URL`) parses it again each time it starts, then
/// writes it back out normalised: at -c 10 against nginx, some 10,500 of libcurl's 76,000
/// instructions a request. Given the parsed handle (`CURLOPT_CURLU`), libcurl copies it instead.
///
/// `@unchecked Sendable`: immutable after `init`, and libcurl only reads the handle (it copies it
/// for each transfer), so one parsed URL may be shared by the workers of every loop, as a
/// target's header list is; freed in `deinit`, after its last user.
final class CurlURL: @unchecked Sendable {
    /// The parsed URL, for `CURLOPT_CURLU`.
    let handle: OpaquePointer

    /// The flags a transfer parses a URL string with (CURLU_NON_SUPPORT_SCHEME,
    /// CURLU_GUESS_SCHEME), so that both ways read a URL alike.
    private static let transferFlags: UInt32 = (1 << 3) | (1 << 9)

    /// Parses `url` as a transfer would; nil when libcurl refuses it (see `refusal(of:)`).
    init?(_ url: String) {
        guard let handle = curl_url() else { return nil }
        guard curl_url_set(handle, CURLUPART_URL, url, Self.transferFlags) == CURLUE_OK else {
            curl_url_cleanup(handle)
            return nil
        }
        self.handle = handle
    }

    deinit {
        curl_url_cleanup(handle)
    }

    /// libcurl's reason for refusing `url`, as `curl_url_strerror` words it; nil when it takes it.
    /// Asked before a run: a URL it refuses would fail every request with exit 1 instead of being
    /// refused up front.
    static func refusal(of url: String) -> String? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        let code = curl_url_set(handle, CURLUPART_URL, url, transferFlags)
        guard code != CURLUE_OK else { return nil }
        return curl_url_strerror(code).map { String(cString: $0) } ?? "libcurl's error \(code.rawValue)"
    }
}
