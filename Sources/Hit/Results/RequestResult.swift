/// What happened to one request.
public struct RequestResult: Sendable, Equatable {
    /// The HTTP status, or 0 when no response arrived.
    public var status: Int
    /// Body bytes received, after any content decoding.
    public var bytes: Int
    /// Bytes received on the wire: the response head plus the body as it came (before content
    /// decoding, after de-chunking), as libcurl counts them; 0 when unknown.
    public var wireBytesReceived: Int = 0
    /// Bytes sent on the wire: the request head plus the body, as libcurl counts them; 0 when unknown.
    public var wireBytesSent: Int = 0
    /// Time from the start of the transfer to its end, as libcurl measured it.
    public var latency: Duration
    /// The transport error, if the transfer did not complete.
    public var error: TransferError?
    /// Which of the run's targets it was sent to (an index into `LoadTest.targets`).
    public var target: Int
    /// The HTTP version of the response, if there was one.
    public var httpVersion: HTTPVersion?
    /// When the transfer started, measured from the start of the run.
    public var offset: Duration
    /// Where the time went, as libcurl measured it.
    public var phases: Phases
    /// Body bytes sent.
    public var bytesSent: Int
    /// In a paced run, how long after its intended send time the request was sent.
    public var lateness: Duration?
    /// In a paced run, the time from the request's intended send time to the end of its response:
    /// its latency corrected for coordinated omission, as wrk2 reports it.
    public var correctedLatency: Duration?

    public init(status: Int, bytes: Int, latency: Duration, error: TransferError? = nil,
                target: Int = 0, httpVersion: HTTPVersion? = nil, offset: Duration = .zero,
                phases: Phases = Phases(), bytesSent: Int = 0, lateness: Duration? = nil,
                correctedLatency: Duration? = nil) {
        self.status = status
        self.bytes = bytes
        self.latency = latency
        self.error = error
        self.target = target
        self.httpVersion = httpVersion
        self.offset = offset
        self.phases = phases
        self.bytesSent = bytesSent
        self.lateness = lateness
        self.correctedLatency = correctedLatency ?? lateness.map { $0 + latency }
    }

    /// The phases of one transfer. Name resolution, connecting and the TLS handshake happen only
    /// on a new connection: on a reused one they are `nil`.
    public struct Phases: Sendable, Equatable {
        public var dns: Duration?
        public var connect: Duration?
        public var tls: Duration?
        /// From the request being sent to the first byte of the response: the server's time.
        public var firstByte: Duration?
        /// From the first byte of the response to the last.
        public var transfer: Duration?

        public init(dns: Duration? = nil, connect: Duration? = nil, tls: Duration? = nil,
                    firstByte: Duration? = nil, transfer: Duration? = nil) {
            self.dns = dns
            self.connect = connect
            self.tls = tls
            self.firstByte = firstByte
            self.transfer = transfer
        }

        public subscript(phase: Phase) -> Duration? {
            switch phase {
            case .dns: dns
            case .connect: connect
            case .tls: tls
            case .firstByte: firstByte
            case .transfer: transfer
            }
        }
    }
}

extension RequestResult {
    /// A request succeeds when its transfer completes and the status is below 400.
    public var succeeded: Bool {
        error == nil && status > 0 && status < 400
    }

    /// Whether the transfer ended with a timeout.
    public var timedOut: Bool { error?.kind == .timeout }
}
