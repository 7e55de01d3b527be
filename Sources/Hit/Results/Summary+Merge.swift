extension Summary {
    /// Adds `other`, the summary of another part of the same run (another shard), exactly: counters
    /// and histograms add up (percentiles are never averaged), and times are aligned on the wall
    /// clock. The merged run starts at the earlier start and ends at the later end; its timeline's
    /// intervals are laid on the earlier start's grid.
    public mutating func merge(_ other: Summary) {
        mergeTimes(other)
        mergeCounts(other)
        mergeBreakdowns(other)
        timeline.merge(other.timeline)
        allWorkersWereBusy = allWorkersWereBusy || other.allWorkersWereBusy
        switch (generator, other.generator) {
        case (var mine?, let theirs?):
            mine.merge(theirs)
            generator = mine
        case (nil, let theirs): generator = theirs
        default: break
        }
        startAt = startAt ?? other.startAt
        switch (startedLate, other.startedLate) {
        case let (a?, b?): startedLate = Swift.max(a, b)
        case let (a, b): startedLate = a ?? b
        }
        if let coverage = shards, let theirCoverage = other.shards {
            shards = ShardCoverage(count: coverage.count, covered: coverage.covered + theirCoverage.covered,
                                   configurationHash: coverage.configurationHash)
        }
    }

    /// The times of the merged run, on the wall clock: it starts at the earlier start and ends at
    /// the later end.
    private mutating func mergeTimes(_ other: Summary) {
        let mine = timeline.startUnixNanoseconds, theirs = other.timeline.startUnixNanoseconds
        let start = Swift.min(mine, theirs)
        let shiftMine = Duration.nanoseconds(mine - start), shiftTheirs = Duration.nanoseconds(theirs - start)
        func earliest(_ a: Duration?, _ b: Duration?) -> Duration? {
            switch (a.map { $0 + shiftMine }, b.map { $0 + shiftTheirs }) {
            case let (x?, y?): Swift.min(x, y)
            case let (x, y): x ?? y
            }
        }
        func latest(_ a: Duration?, _ b: Duration?) -> Duration? {
            switch (a.map { $0 + shiftMine }, b.map { $0 + shiftTheirs }) {
            case let (x?, y?): Swift.max(x, y)
            case let (x, y): x ?? y
            }
        }
        firstSend = earliest(firstSend, other.firstSend)
        lastSend = latest(lastSend, other.lastSend)
        firstEnd = earliest(firstEnd, other.firstEnd)
        lastEnd = latest(lastEnd, other.lastEnd)
        duration = Swift.max(duration + shiftMine, other.duration + shiftTheirs)
        // Another machine's monotonic clock means nothing here; the earlier start's (or on a tie the
        // lower) reading is kept only so that the merge does not depend on the order of its parts.
        if theirs < mine || (theirs == mine && other.startUptimeNanoseconds < startUptimeNanoseconds) {
            startUptimeNanoseconds = other.startUptimeNanoseconds
        }

    }

    /// Counters add up.
    private mutating func mergeCounts(_ other: Summary) {
        requested = requested.flatMap { mineRequested in other.requested.map { mineRequested + $0 } }
        rate = rate.flatMap { mineRate in other.rate.map { mineRate + $0 } }
        rateVaries = rateVaries || other.rateVaries
        started += other.started
        total.add(other.total)
        timedOut += other.timedOut
        abandoned += other.abandoned
        retried += other.retried
        ending = ending.merged(with: other.ending)
        bytes += other.bytes
        bytesSent += other.bytesSent
        wireBytesReceived += other.wireBytesReceived
        wireBytesSent += other.wireBytesSent
        dropped += other.dropped
        // Every shard of a run that its feed ended says so, with the same rows.
        if let rows = other.feedUsedUp { feedUsedUp = rows }
    }

    /// Histograms merge exactly; statuses, errors, versions and targets add up.
    private mutating func mergeBreakdowns(_ other: Summary) {
        latency.merge(other.latency)
        correctedLatency.merge(other.correctedLatency)
        lateness.merge(other.lateness)
        for (phase, histogram) in other.phases { phases[phase, default: LatencyHistogram()].merge(histogram) }
        statusCounts.merge(other.statusCounts, uniquingKeysWith: +)
        for (kind, tally) in other.errorCounts {
            var merged = errorCounts[kind] ?? ErrorTally(count: 0, example: tally.example)
            merged.count += tally.count
            merged.example = Swift.min(merged.example, tally.example)  // whatever the order of the parts
            errorCounts[kind] = merged
        }
        httpVersions.merge(other.httpVersions, uniquingKeysWith: +)
        connectionsOpened += other.connectionsOpened
        mostRequestsOnOneConnection = Swift.max(mostRequestsOnOneConnection, other.mostRequestsOnOneConnection)
        for index in other.perTarget.indices {
            if index < perTarget.count { perTarget[index].add(other.perTarget[index]) } else { perTarget.append(other.perTarget[index]) }
        }
    }
}
