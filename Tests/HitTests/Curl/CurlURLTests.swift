import CCurlShim
@testable import Hit
import Testing

/// A target's URL is parsed once, and must read as a transfer given the string would read it.
@Suite struct CurlURLTests {
    /// The URL a parsed handle gives back: what a transfer sends, and reports as its effective URL.
    static func text(_ url: CurlURL?) -> String? {
        guard let url else { return nil }
        var out: UnsafeMutablePointer<CChar>?
        guard curl_url_get(url.handle, CURLUPART_URL, &out, 0) == CURLUE_OK, let out else { return nil }
        defer { curl_free(out) }
        return String(cString: out)
    }

    @Test func aURLIsParsedAsATransferParsesIt() {
        #expect(Self.text(CurlURL("http://127.0.0.1:8080/a/../b?c=d#f")) == "http://127.0.0.1:8080/b?c=d#f")
        #expect(Self.text(CurlURL("HTTPS://[::1]:8443")) == "https://[::1]:8443/")
        #expect(Self.text(CurlURL("http://h/u/{{user}}?t={{token}}")) == "http://h/u/{{user}}?t={{token}}")
    }

    @Test func whatLibcurlRefusesIsNotParsedAndSaysWhy() {
        for refused in ["http://[::1/", "http://h:99999/", "http://"] {
            #expect(CurlURL(refused) == nil, "\(refused)")
            #expect(CurlURL.refusal(of: refused) != nil, "\(refused)")
        }
        #expect(CurlURL.refusal(of: "http://h/") == nil)
    }

    @Test func aTargetKeepsItsURLParsedForEveryWorker() throws {
        let target = try CurlTarget(Request(url: "http://127.0.0.1:1/x"))
        #expect(Self.text(target.url) == "http://127.0.0.1:1/x")
    }
}
