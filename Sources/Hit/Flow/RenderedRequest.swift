/// One request's URL, header lines and body as its templates rendered them, made by the producer
/// ahead of the send path and set on the worker's handle for that one transfer.
struct RenderedRequest: Sendable {
    var url: String
    /// Every header line of the request (its proxy's excluded).
    var headers: [String]
    /// The body, when the request has one.
    var body: [UInt8]?
}
