import CCurlShim

/// Finished transfers, retries, and the end of a run.
extension TransferLoop {
    /// Collects every finished transfer's result into `unsent` and returns its worker to the
    /// idle list (and those of transfers that end with it: `opened`). Returns how many workers it
    /// freed.
    func collectFinished(counters: PipelineCounters) -> Int {
        let idleBefore = idle.count
        var slot: Int32 = 0
        while let message = hit_multi_set_info_read(multis, &slot) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                  var transfer = active[handle]
            else { continue }
            let worker = transfer.worker
            if worker.gate.pointee.refused != 0 {
                refused(handle, transfer: transfer)
                continue
            }
            active[handle] = nil
            let watch = watched.remove(handle).map { _ in
                H2CWatch(firstBytes: worker.serversFirstBytes, sentNothing: worker.serverSentNothing)
            }
            let code = hit_multi_msg_result(message)
            var result = worker.result(code: code, target: transfer.target)
            worker.fitBuffer(toReceived: result.wireBytesReceived)
            let sharingFate = transfer.role == .opener
                ? opened(result: &result, handle: handle, target: transfer.target, watch: watch) : nil
            if !transfer.retried, Self.mayRetry(code: code, result: result, worker: worker) {
                // The server closed a kept-alive connection as the request went out: send it once
                // more, on a fresh connection, as RFC 9112 allows for idempotent requests.
                transfer.retried = true
                active[handle] = transfer
                hit_multi_set_remove(multis, slot, handle)
                resume(handle, as: transfer.role)
                counters.retried.add(1, ordering: .relaxed)
                continue
            }
            if let checks, result.error == nil, result.status > 0 { check(&result, against: checks, body: worker.keptBody) }
            place(&result, transfer: transfer, stamps: worker.stamps.pointee)
            spun += worker.stamps.pointee.held_ns
            if worker.stamps.pointee.counted != 0 { meter?.ended() }  // counted only with a meter
            hit_multi_set_remove(multis, slot, handle)
            idle.append(worker)
            unsent.append(result, handedOff: transfer.handedOff)
            if let sharingFate { for parked in sharingFate.parked { fail(parked, with: sharingFate.error) } }
        }
        return idle.count - idleBefore
    }

    /// Fails a response that `checks` refuse, with the error kind `check`; marks one whose status
    /// they expect as succeeding whatever its class.
    private func check(_ result: inout RequestResult, against checks: ResponseChecks, body: UnsafeRawBufferPointer) {
        if let failure = checks.failure(status: result.status, body: bodyPattern, kept: body) {
            result.error = TransferError(kind: .check, message: failure)
        } else {
            result.statusExpected = checks.statuses != nil
        }
    }

    /// Places a result in the run: its index, when it was written (else handed off) and, if paced,
    /// when it was due, how late it was written and its corrected latency, all on one clock from
    /// `runStart`. Corrected latency runs from due to the moment libcurl ended the transfer.
    func place(_ result: inout RequestResult, transfer: Transfer, stamps: hit_transfer_stamps) {
        result.index = transfer.index
        let written = stamps.written_ns > 0 ? UInt64(stamps.written_ns) : transfer.handedOff
        result.offset = .nanoseconds(Int64(bitPattern: written &- runStart))
        guard transfer.due > 0 else { return }
        let due = transfer.due
        result.due = .nanoseconds(Int64(bitPattern: due &- runStart))
        result.lateness = .nanoseconds(written > due ? Int64(written - due) : 0)
        let ended = stamps.ended_ns > 0 ? UInt64(stamps.ended_ns) : PreciseWait.monotonicNanoseconds()
        result.correctedLatency = max(result.latency, .nanoseconds(ended > due ? Int64(ended - due) : 0))
    }

    /// Whether a failed transfer died on a reused connection before any response came back, for
    /// a method that may safely be sent twice.
    static func mayRetry(code: CURLcode, result: RequestResult, worker: CurlEasy) -> Bool {
        guard code == CURLE_GOT_NOTHING || code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR,
              result.status == 0, worker.reusedConnection,
              let method = worker.target?.request.method
        else { return false }
        return ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"].contains(method)
    }

    /// At cancellation (a stop, or the deadline): collects the transfers that have ended meanwhile
    /// (a response that came in as the run ended is a result, not an abort), then aborts the rest.
    func endAtCancellation(counters: PipelineCounters) {
        if !active.isEmpty {
            perform()
            _ = collectFinished(counters: counters)
        }
        abandonActive(counters: counters)
    }

    /// Aborts every transfer in flight. One whose request was written is counted as abandoned,
    /// not as a result; one not written yet (waiting for its connection, or for its due time) was
    /// never sent, and no longer counts as started.
    func abandonActive(counters: PipelineCounters) {
        var written = 0
        for (handle, transfer) in active {
            hit_multi_set_remove(multis, transfer.worker.multiSlot, handle)
            let stamps = transfer.worker.stamps.pointee
            if stamps.counted != 0 || stamps.written_ns != 0 {
                written += 1
                if stamps.counted != 0 { meter?.ended() }
            }
            idle.append(transfer.worker)
        }
        counters.abandoned.add(written, ordering: .relaxed)
        counters.started.subtract(active.count - written, ordering: .relaxed)
        active.removeAll()
        watched.removeAll()
        early.removeAll()
        connectionPlan.abandonAll()
    }
}
