/// One request's URL, header lines and body as its templates rendered them, made by the producer
/// ahead of the send path and set on the worker's handle for that one transfer.
///
/// A part whose template has no placeholder is `nil`: the worker's handle keeps the target's own.
/// A class, so that a job carries one reference through the channels rather than its parts.
final class RenderedRequest: Sendable {
    let url: String?
    /// Every header line of the request, as the target's lines are (its proxy's still among them).
    let headers: [String]?
    /// The body, when the request has one.
    let body: [UInt8]?

    init(url: String?, headers: [String]?, body: [UInt8]?) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}
