import Synchronization

/// What the target server has seen, for tests to compare with what hit reports.
public final class TargetStats: Sendable {
    /// The queue behind `/capacity/{slots}/{ms}`, shared by every connection.
    public let serviceSlots = ServiceSlots()
    /// The latency of `/tuned`, set between runs.
    public let tunedLatency = TunedLatency()
    /// One request as the server received it.
    public struct SeenRequest: Sendable, Equatable {
        public var method: String
        /// As sent: origin form (`/path`), or absolute form (`http://host/path`) through a proxy.
        public var uri: String
        /// `HTTP/1.1`, `HTTP/2`...
        public var version: String
        /// In order, repeats kept; names as sent.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// Whether it came over TLS, and whether the client showed a certificate the server trusted.
        public var tls = false
        public var clientCertificate = false

        /// The first value of a header, by case-insensitive name.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public static func == (a: SeenRequest, b: SeenRequest) -> Bool {
            a.method == b.method && a.uri == b.uri && a.version == b.version && a.body == b.body
                && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
        }
    }

    /// How many requests `recentRequests` keeps.
    public static let recentLimit = 64

    private let requests = Atomic<Int>(0)
    private let connections = Atomic<Int>(0)
    private let inFlight = Atomic<Int>(0)
    private let peakInFlight = Atomic<Int>(0)
    private let proxied = Atomic<Int>(0)
    private let written = Atomic<Int>(0)
    private let readBytes = Atomic<Int>(0)
    private let recent = Mutex<[SeenRequest]>([])
    private let paths = Mutex<[String: Int]>([:])
    private let peers = Mutex<[String: Int]>([:])
    /// Until when (uptime nanoseconds) new requests are held; see `TargetServer.stall(for:)`.
    let stalledUntil = Atomic<UInt64>(0)

    public init() {}

    /// Requests whose head arrived.
    public var requestsSeen: Int { requests.load(ordering: .acquiring) }
    /// Connections accepted (TCP or unix socket).
    public var connectionsAccepted: Int { connections.load(ordering: .acquiring) }
    /// Requests received and not yet answered (or abandoned by the client), right now.
    public var requestsInFlight: Int { inFlight.load(ordering: .acquiring) }
    /// The most requests that were in flight at once.
    public var maxInFlight: Int { peakInFlight.load(ordering: .acquiring) }
    /// Requests in absolute form (`GET http://host/path`), as a client sends them to a proxy.
    public var proxiedRequests: Int { proxied.load(ordering: .acquiring) }
    /// Bytes written to clients on the wire (after any compression).
    public var bytesWritten: Int { written.load(ordering: .acquiring) }
    /// Bytes read from clients on the wire (before any decryption).
    public var bytesRead: Int { readBytes.load(ordering: .acquiring) }
    /// Connections accepted by the client's address (TCP only).
    public var connectionsByPeerAddress: [String: Int] { peers.withLock { $0 } }
    /// The last `recentLimit` requests, oldest first.
    public var recentRequests: [SeenRequest] { recent.withLock { $0 } }
    /// How many requests came for each path (the request target without its query), every one.
    public var requestsByPath: [String: Int] { paths.withLock { $0 } }

    func connectionAccepted(from address: String?) {
        connections.add(1, ordering: .acquiringAndReleasing)
        if let address { peers.withLock { $0[address, default: 0] += 1 } }
    }

    func requestBegan(proxied isProxied: Bool) {
        requests.add(1, ordering: .acquiringAndReleasing)
        if isProxied { proxied.add(1, ordering: .acquiringAndReleasing) }
        let now = inFlight.add(1, ordering: .acquiringAndReleasing).newValue
        var peak = peakInFlight.load(ordering: .acquiring)
        while now > peak {
            let (exchanged, original) = peakInFlight.compareExchange(expected: peak, desired: now, ordering: .acquiringAndReleasing)
            if exchanged { break }
            peak = original
        }
    }

    func requestCompleted(_ request: SeenRequest) {
        let path = String(request.uri.prefix { $0 != "?" })
        paths.withLock { $0[path, default: 0] += 1 }
        recent.withLock { recent in
            recent.append(request)
            if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
        }
    }

    func requestEnded() {
        inFlight.subtract(1, ordering: .acquiringAndReleasing)
    }

    func wrote(_ bytes: Int) {
        written.add(bytes, ordering: .relaxed)
    }

    func read(_ bytes: Int) {
        readBytes.add(bytes, ordering: .relaxed)
    }
}
