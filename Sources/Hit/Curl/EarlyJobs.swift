import DequeModule

/// The paced jobs an event loop has taken before they are due, earliest first; each holds one of
/// the loop's idle workers until it is handed to libcurl.
struct EarlyJobs {
    private var jobs: Deque<Job> = []

    var count: Int { jobs.count }
    var isEmpty: Bool { jobs.isEmpty }

    /// When the earliest is due (uptime nanoseconds).
    var firstDue: UInt64? { jobs.first.map(Self.due) }

    /// Keeps `job` in order of due time, after those due at the same time (jobs mostly come in
    /// order, so this looks at the last few).
    mutating func keep(_ job: Job) {
        let due = Self.due(job)
        var position = jobs.endIndex
        while position > jobs.startIndex, Self.due(jobs[position - 1]) > due { position -= 1 }
        jobs.insert(job, at: position)
    }

    /// The earliest job if it is due at or before `limit`, taken out.
    mutating func next(dueBy limit: UInt64) -> Job? {
        guard let first = jobs.first, Self.due(first) <= limit else { return nil }
        return jobs.removeFirst()
    }

    mutating func removeAll() {
        jobs.removeAll()
    }

    private static func due(_ job: Job) -> UInt64 {
        job.due?.uptimeNanoseconds ?? 0
    }
}
