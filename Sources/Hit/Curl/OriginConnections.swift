/// How a transfer gets its connection. With HTTP/2 the event loop, not libcurl, decides when a
/// connection to an origin is opened (see `OriginConnections`): libcurl would open dozens at once
/// over TLS before the first one says it can multiplex, and 7.88 cannot reuse an h2c connection
/// made with prior knowledge.
enum ConnectionRole: Equatable, Sendable {
    /// Reuses an idle connection or opens one, as libcurl chooses: HTTP/1.1, and HTTP/2 to an
    /// origin that answered in HTTP/1.1 or without keep-alive.
    case any
    /// Opens a new connection (HTTP/2 with prior knowledge on http), which later transfers
    /// multiplex on.
    case opener
    /// Multiplexes on a connection that is open or opening, waiting for one to finish its
    /// handshake if need be (PIPEWAIT); may not open one: the open-socket callback refuses, and
    /// the transfer ends with `gate.refused` set and nothing sent.
    case follower
}

/// Which connection each HTTP/2 transfer joins or opens, origin by origin: events in, actions out.
/// Pure (no libcurl, no clock): the transfer loop reports what happened and carries out what it
/// is told; `Handle` is whatever names a transfer (an easy handle there, a number in the tests).
///
/// One transfer at a time opens a connection to an origin: the opener. The others follow: they
/// multiplex on a connection that is up, or wait (parked, outside libcurl) for the one opening. A
/// follower that finds every connection full (the server's stream limit, or `--streams`) is
/// refused a socket before anything is sent; it then opens the next connection, or waits for
/// the one opening. So connections fill up to the limit before another opens, and a GOAWAY or a
/// restarted server costs the requests in flight and then one new connection. An origin that
/// answers a request for HTTP/2 in HTTP/1.1 (TLS without h2 in ALPN) falls back: its transfers
/// then connect as for HTTP/1.1, each on its own.
struct OriginConnections<Handle: Hashable> {
    /// A parked transfer to hand to libcurl again, and how.
    struct Resume: Equatable {
        let handle: Handle
        let role: ConnectionRole
    }

    private struct Origin {
        /// The opener whose connection is not up yet: followers wait for it.
        var opening: Handle?
        /// Followers waiting for the connection opening.
        var parked: [Handle] = []
        /// Whether a connection to it has been opened.
        var opened = false
        /// Whether it answered a request for HTTP/2 in HTTP/1.1.
        var fellBack = false
    }

    private var origins: [Origin]
    /// Whether transfers share connections (HTTP/2 with keep-alive); otherwise every transfer
    /// connects as libcurl chooses.
    let multiplexing: Bool
    /// How many origins have a connection opening.
    private(set) var openingCount = 0

    init(origins count: Int, multiplexing: Bool) {
        origins = Array(repeating: Origin(), count: count)
        self.multiplexing = multiplexing
    }

    /// A new transfer to `origin`: the role it starts in, or `nil` when it is parked until the
    /// connection opening to its origin is up.
    mutating func start(_ handle: Handle, origin: Int) -> ConnectionRole? {
        guard multiplexing, !origins[origin].fellBack else { return .any }
        if origins[origin].opening != nil {
            origins[origin].parked.append(handle)
            return nil
        }
        if origins[origin].opened { return .follower }
        beginOpening(handle, origin: origin)
        return .opener
    }

    /// The origins' indices.
    var originIndices: Range<Int> { origins.indices }

    /// The transfer opening `origin`'s connection, if one is.
    func opener(of origin: Int) -> Handle? {
        origins[origin].opening
    }

    /// `origin` answered a request for HTTP/2 in HTTP/1.1: from now on its transfers connect as
    /// for HTTP/1.1.
    mutating func fellBack(_ origin: Int) {
        origins[origin].fellBack = true
    }

    /// The wait for `origin`'s opener ends: its connection is up (or it ended without one,
    /// `connected` false). On a connection that is up the parked transfers multiplex (or, after a
    /// fallback, connect on their own); if it failed, the first becomes the next opener and the
    /// others wait for it.
    mutating func openerDone(origin: Int, connected: Bool) -> [Resume] {
        guard origins[origin].opening != nil else { return [] }
        origins[origin].opening = nil
        openingCount -= 1
        guard !origins[origin].parked.isEmpty else { return [] }
        if connected || origins[origin].fellBack {
            let role: ConnectionRole = origins[origin].fellBack ? .any : .follower
            defer { origins[origin].parked.removeAll() }
            return origins[origin].parked.map { Resume(handle: $0, role: role) }
        }
        let next = origins[origin].parked.removeFirst()
        beginOpening(next, origin: origin)
        return [Resume(handle: next, role: .opener)]
    }

    /// `origin`'s opener timed out before its connection was up: the transfers parked for it share
    /// its fate, as a request waiting for an HTTP/2 client's dial gets the dial's error. A server
    /// that answers nothing (a firewall dropping QUIC's UDP, a stalled TLS handshake) would
    /// otherwise cost one whole timeout per request, one request after another. Returns them, no
    /// longer parked; `openerDone` then ends the wait.
    mutating func openerTimedOut(origin: Int) -> [Handle] {
        guard origins[origin].opening != nil else { return [] }
        defer { origins[origin].parked.removeAll() }
        return origins[origin].parked
    }

    /// A follower was refused a socket: every connection to its origin was full (or gone). It
    /// opens the next connection, or (`nil`) is parked until the one opening is up.
    mutating func refused(_ handle: Handle, origin: Int) -> Resume? {
        guard origins[origin].opening == nil else {
            origins[origin].parked.append(handle)
            return nil
        }
        beginOpening(handle, origin: origin)
        return Resume(handle: handle, role: .opener)
    }

    /// Every transfer was abandoned (the run ended): nothing is opening or parked any more. What
    /// is known of each origin stays.
    mutating func abandonAll() {
        for index in origins.indices {
            origins[index].opening = nil
            origins[index].parked.removeAll()
        }
        openingCount = 0
    }

    private mutating func beginOpening(_ handle: Handle, origin: Int) {
        if origins[origin].opening == nil { openingCount += 1 }
        origins[origin].opening = handle
        origins[origin].opened = true
    }
}
