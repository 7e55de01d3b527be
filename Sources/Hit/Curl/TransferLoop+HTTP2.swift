import CCurlShim

/// HTTP/2 connections: the loop carries out what `OriginConnections` decides, and names what an
/// h2c server did to a request from the bytes it sent (`H2CWatch`).
extension TransferLoop {
    /// Keeps the first bytes the server sends on the connection `handle` opens, if it is h2c.
    func watchIfH2C(_ handle: UnsafeMutableRawPointer) {
        guard let transfer = active[handle], !targets[transfer.target].request.isHTTPS else { return }
        watched.insert(handle)
        transfer.worker.gate.pointee.keep_first_bytes = 1
    }

    /// Keeps the bytes waiting on each h2c opener's connection before libcurl reads them (as the
    /// progress callback does within libcurl), until the response has begun.
    func watchOpeners() {
        for handle in watched {
            guard let worker = active[handle]?.worker, worker.headerBudget.pointee.received == 0 else {
                active[handle]?.worker.gate.pointee.keep_first_bytes = 0
                watched.remove(handle)
                continue
            }
            hit_socket_gate_keep(worker.gate)
        }
    }

    /// Ends the wait on every opener whose connection has shown what it speaks: over TLS once the
    /// request is being written (ALPN has said whether it multiplexes); over h2c once the server
    /// has answered the connection preface (its SETTINGS come first, before any response: the
    /// kernel's count of bytes received on the connection says so even after libcurl read them),
    /// or the response's head has begun. A server that stalls its responses then still gets
    /// every stream the connection allows, not one at a time.
    func releaseFollowersOfOpenConnections() {
        for origin in connectionPlan.originIndices {
            guard let handle = connectionPlan.opener(of: origin), let transfer = active[handle] else { continue }
            let worker = transfer.worker
            let written = worker.stamps.pointee.written_ns != 0
            let shown = targets[transfer.target].request.isHTTPS ? written
                : worker.headerBudget.pointee.received > 0 || (written && hit_socket_bytes_received(worker.gate.pointee.socket) > 0)
            if shown { openerDone(origin: origin, connected: true) }
        }
    }

    /// The wait for `origin`'s opener ends: the transfers parked for it go to libcurl again, as
    /// the plan says.
    func openerDone(origin: Int, connected: Bool) {
        for resumed in connectionPlan.openerDone(origin: origin, connected: connected) { carryOut(resumed) }
    }

    /// Hands a parked or refused transfer back to libcurl as the plan says; a new opener's
    /// connection is watched.
    private func carryOut(_ resumed: OriginConnections<UnsafeMutableRawPointer>.Resume) {
        if resumed.role == .opener { watchIfH2C(resumed.handle) }
        resume(resumed.handle, as: resumed.role)
    }

    /// Hands a transfer that has not been sent back to libcurl, in `role`.
    func resume(_ handle: UnsafeMutableRawPointer, as role: ConnectionRole) {
        guard let transfer = active[handle] else { return }
        let worker = transfer.worker
        worker.prepare()
        if watched.contains(handle) { worker.gate.pointee.keep_first_bytes = 1 }
        worker.reportProgress(transfer.due > 0 || watched.contains(handle))
        worker.stamps.pointee.not_before_ns = Int64(transfer.due)
        worker.take(role)
        active[handle]?.role = role
        hit_multi_set_add(multis, worker.multiSlot, handle)
    }

    /// A follower that was refused a socket: every connection to its origin was full (or gone).
    /// It opens the next connection, or waits for the one opening.
    func refused(_ handle: UnsafeMutableRawPointer, transfer: Transfer) {
        hit_multi_set_remove(multis, transfer.worker.multiSlot, handle)
        if let resumed = connectionPlan.refused(handle, origin: originOf[transfer.target]) { carryOut(resumed) }
    }

    /// What an opener's end says about its origin: whether it answered in HTTP/1.1 though HTTP/2
    /// was asked for (ALPN without h2), and, for h2c, what the server did: an h2c request that
    /// failed is `no-h2c` only if the server's first bytes were not HTTP/2's (`watch`); one that
    /// spoke HTTP/2 and then reset the stream, sent GOAWAY or broke the framing is named for what
    /// it did.
    /// Returns the parked transfers that end with it (`OriginConnections.openerTimedOut`), for
    /// `fail(_:with:)` once its own result is in.
    func opened(result: inout RequestResult, handle: UnsafeMutableRawPointer, target: Int,
                watch: H2CWatch?) -> (parked: [UnsafeMutableRawPointer], error: TransferError)? {
        let origin = originOf[target]
        if result.status > 0, let version = result.httpVersion, version < .http2 { connectionPlan.fellBack(origin) }
        if let error = result.error, result.status == 0, result.phases.connect != nil,
           error.kind == .reset || error.kind == .protocolError, targets[target].request.isHTTPS == false,
           !Self.isStreamError(error) {  // a reset stream needs no naming: only HTTP/2 resets one
            if let watch, watch.answer != nil { lastWatch[origin] = watch }
            // A connection's own bytes say what it was; unseen ones are read as the origin's last
            // seen ones said, else said to be unseen. With nothing seen, the error stays
            // libcurl's: a reset with no bytes is not evidence of an HTTP/1.1 server (a server
            // restarting resets the connections it had accepted).
            let knows = watch.map { $0.answer != nil || $0.sentNothing } ?? false
            if let named = (knows ? watch : lastWatch[origin] ?? watch)?.error(for: error) {
                result.error = named
            }
        }
        guard connectionPlan.opener(of: origin) == handle else { return nil }
        var sharingFate: (parked: [UnsafeMutableRawPointer], error: TransferError)?
        if let error = result.error, error.kind == .timeout || error.kind == .quic, result.status == 0, result.phases.tls == nil {
            sharingFate = (connectionPlan.openerTimedOut(origin: origin),
                           TransferError(kind: error.kind, message: "waited for a connection that was not made (\(error.message))"))
        }
        openerDone(origin: origin, connected: result.status > 0)
        return sharingFate
    }

    /// Ends a parked transfer that was never sent with `error`: its worker is idle again.
    func fail(_ handle: UnsafeMutableRawPointer, with error: TransferError) {
        guard let transfer = active.removeValue(forKey: handle) else { return }
        let waited = PreciseWait.monotonicNanoseconds() &- transfer.handedOff
        var result = RequestResult(status: 0, bytes: 0, latency: .nanoseconds(Int64(bitPattern: waited)), error: error,
                                   target: transfer.target)
        place(&result, transfer: transfer, stamps: transfer.worker.stamps.pointee)
        idle.append(transfer.worker)
        unsent.append(result, handedOff: transfer.handedOff)
    }

    /// Whether libcurl's words for an error say that a stream was reset: only a server that speaks
    /// HTTP/2 resets one.
    static func isStreamError(_ error: TransferError) -> Bool {
        error.message.contains("was not closed cleanly") || error.message.contains("Stream error in the HTTP/2 framing layer")
            || error.message.hasPrefix("the server reset stream")
    }
}
