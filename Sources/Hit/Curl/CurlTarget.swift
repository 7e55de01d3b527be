/// A target made ready for libcurl once per run: its header list is built once and, like the
/// body, shared by every worker. libcurl only reads them.
final class CurlTarget: Sendable {
    let request: Request
    /// The header lines, as libcurl takes them.
    let headers: CurlStringList
    /// `scheme://host:port`: what connections are shared by.
    let origin: String

    init(_ request: Request) throws(SetupError) {
        self.request = request
        // A body of more than 1 MB would make libcurl wait for "100 Continue"; a load test must not.
        let extra = request.body != nil ? ["Expect:"] : []
        headers = try CurlStringList(request.headers + extra, what: "the header")
        origin = request.parsedURL.origin
    }
}
