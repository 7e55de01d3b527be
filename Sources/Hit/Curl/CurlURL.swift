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
        guard case .success(let handle) = Self.parse(url) else { return nil }
        self.handle = handle
    }

    deinit {
        curl_url_cleanup(handle)
    }

    /// libcurl's reason for refusing `url`, as `curl_url_strerror` words it; nil when it takes it.
    /// Asked before a run: a URL it refuses would fail every request with exit 1 instead of being
    /// refused up front.
    static func refusal(of url: String) -> String? {
        switch parse(url) {
        case .success(let handle):
            curl_url_cleanup(handle)
            return nil
        case .failure(let refused):
            return refused.code.map { curl_url_strerror($0).map { String(cString: $0) } ?? "libcurl's error \($0.rawValue)" }
        }
    }

    /// Why libcurl did not parse a URL: its code, or nil when it could not allocate a handle.
    private struct Refused: Error {
        let code: CURLUcode?
    }

    /// A new handle holding `url` parsed with `transferFlags`, which the caller frees.
    private static func parse(_ url: String) -> Result<OpaquePointer, Refused> {
        guard let handle = curl_url() else { return .failure(Refused(code: nil)) }
        let code = curl_url_set(handle, CURLUPART_URL, url, transferFlags)
        guard code == CURLUE_OK else {
            curl_url_cleanup(handle)
            return .failure(Refused(code: code))
        }
        return .success(handle)
    }
}
