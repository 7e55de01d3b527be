/// What happened to one request.
///
/// Every time here is on one clock, CLOCK_MONOTONIC (`DispatchTime`), and every moment in the run
/// counts from one origin, the run's start (`Summary.startUptimeNanoseconds`): the schedule
/// (`due`), `offset`, and so lateness and corrected latency.
public struct RequestResult: Sendable, Equatable {
    /// The request's place in the run: 0 for the first. In a paced run it was due at
    /// `index / rate` seconds.
    public var index: Int = 0
    /// The HTTP status, or 0 when no response arrived.
    public var status: Int
    /// Whether the status was one the run's expected statuses accept (`ResponseChecks`): then it
    /// succeeds whatever its class.
    public var statusExpected = false
    /// Body bytes received, after any content decoding.
    public var bytes: Int
    /// Bytes received on the wire: the response head plus the body as it came (before content
    /// decoding, after de-chunking), as libcurl counts them; 0 when unknown.
    public var wireBytesReceived: Int = 0
    /// Bytes sent on the wire: the request head plus the body, as libcurl counts them; 0 when unknown.
    public var wireBytesSent: Int = 0
    /// Time from the start of the transfer to its end, as libcurl measured it
    /// (CURLINFO_TOTAL_TIME_T): from when libcurl began the transfer (its first
    /// `curl_multi_perform` after the hand-off) until the last byte of the response was read.
    /// In a paced run hit may hand a request to libcurl a few tens of µs before it is due and
    /// hold its write until then; that wait is hit's, and is not counted.
    public var latency: Duration
    /// The transport error, if the transfer did not complete.
    public var error: TransferError?
    /// Which of the run's targets it was sent to (an index into `LoadTest.targets`).
    public var target: Int
    /// The HTTP version of the response, if there was one.
    public var httpVersion: HTTPVersion?
    /// When the request was written, from the start of the run: the moment libcurl began to send
    /// it on a ready connection (a few µs before the bytes leave). For a request that never got
    /// that far (it could not connect, say), when it was handed to libcurl.
    public var offset: Duration
    /// In a paced run, when the request was due, from the start of the run: `index / rate`.
    /// `nil` in an unpaced run.
    public var due: Duration?
    /// Where the time went, as libcurl measured it.
    public var phases: Phases
    /// Body bytes sent.
    public var bytesSent: Int
    /// Connections the transfer opened (CURLINFO_NUM_CONNECTS): 0 on a reused or multiplexed
    /// connection, more than 1 when a followed redirect needed others.
    public var connectionsOpened: Int = 0
    /// The request's place on its connection: 1 for the first request (HTTP/2 stream) a
    /// connection carried. 0 when not known (over a unix-domain socket).
    public var requestOnConnection: Int = 0
    /// In a paced run, how long after its intended send time the request was written: `offset −
    /// due` (never negative). Measured at the write, so it includes any wait for a worker, for the
    /// event loop and for a connection.
    public var lateness: Duration?
    /// In a paced run, the time from the request's intended send time to the end of its response:
    /// its latency corrected for coordinated omission, as wrk2 reports it. Measured as (the
    /// moment libcurl ended the transfer) − due, so every moment between the two counts once:
    /// lateness, then libcurl's start-to-write, then the rest of `latency`.
    public var correctedLatency: Duration?

    public init(status: Int, bytes: Int, latency: Duration, error: TransferError? = nil,
                target: Int = 0, httpVersion: HTTPVersion? = nil, offset: Duration = .zero,
                phases: Phases = Phases(), bytesSent: Int = 0, lateness: Duration? = nil,
                correctedLatency: Duration? = nil, index: Int = 0, due: Duration? = nil) {
        self.index = index
        self.due = due
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

    /// The phases of one transfer, from libcurl's own timers, so that they add up:
    /// dns + connect + tls + firstByte + transfer == latency (to the µs libcurl counts in).
    /// Name resolution, connecting and the TLS handshake happen only on a new connection: on a
    /// reused one they are `nil`, and firstByte + transfer == latency. See `Phase` for each
    /// boundary. With redirects followed, libcurl sums each phase over the hops.
    public struct Phases: Sendable, Equatable {
        /// From the start of the transfer to the end of name resolution (NAMELOOKUP).
        public var dns: Duration?
        /// From the end of name resolution to the TCP connection being up (CONNECT − NAMELOOKUP).
        public var connect: Duration?
        /// The TLS handshake, https only (APPCONNECT − CONNECT).
        public var tls: Duration?
        /// From the connection being ready (after connect, or after TLS) to the first byte of the
        /// response (STARTTRANSFER − max(CONNECT, APPCONNECT)): libcurl composing and writing the
        /// request, the network both ways and the server's time. On a reused connection it runs
        /// from the start of the transfer (STARTTRANSFER), so it also holds libcurl's look-up of
        /// the connection to reuse (some 10–70 µs).
        public var firstByte: Duration?
        /// From the first byte of the response to the last (TOTAL − STARTTRANSFER).
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
    /// A request succeeds when its transfer completes and the status is below 400, or, under
    /// expected statuses, is one of them (`statusExpected`).
    public var succeeded: Bool {
        error == nil && status > 0 && (status < 400 || statusExpected)
    }

    /// Whether the transfer ended with a timeout.
    public var timedOut: Bool { error?.kind == .timeout }
}
