import CCurlShim

/// A target made ready for libcurl once per run: its header list is built once and, like the
/// body, shared by every worker. libcurl only reads them.
/// `@unchecked Sendable`: immutable after `init`; the header list is freed in `deinit`, after the
/// last worker that uses it is gone.
final class CurlTarget: @unchecked Sendable {
    let request: Request
    let headerList: UnsafeMutablePointer<curl_slist>?
    /// `scheme://host:port`: what connections are shared by.
    let origin: String

    init(_ request: Request) throws(SetupError) {
        self.request = request
        var list: UnsafeMutablePointer<curl_slist>?
        // A body of more than 1 MB would make libcurl wait for "100 Continue"; a load test must not.
        let extra = request.body != nil ? ["Expect:"] : []
        for header in request.headers + extra {
            guard let appended = curl_slist_append(list, header) else {
                curl_slist_free_all(list)
                throw SetupError("libcurl could not store the header '\(header)'")
            }
            list = appended
        }
        headerList = list
        let afterScheme = request.url.range(of: "://").map(\.upperBound) ?? request.url.startIndex
        origin = String(request.url[..<(request.url[afterScheme...].firstIndex { "/?#".contains($0) } ?? request.url.endIndex)])
    }

    deinit {
        curl_slist_free_all(headerList)
    }
}
