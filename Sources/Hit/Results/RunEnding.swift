/// How a run ended: one value, recorded once by the run (`LoadTest.run`) from the reason its
/// cancellation carried, and read by every report and the verdict.
public enum RunEnding: Sendable, Equatable {
    /// It ran its course: every request asked for completed, or its schedule ended.
    case completed
    /// Its deadline (`Options.duration`) came.
    case deadline
    /// Its user stopped it before its end.
    case interrupted
    /// Its caller stopped it before its end, for `cause`; `fails`: the stop judges it failed.
    case stopped(cause: String, fails: Bool)

    /// Whether it was stopped before its end (by its user or its caller).
    public var isInterrupted: Bool {
        switch self {
        case .interrupted, .stopped: true
        case .completed, .deadline: false
        }
    }

    /// How a run stopped for `reason` ended: a deadline is the run's own end.
    init(_ reason: StopReason) {
        switch reason {
        case .user: self = .interrupted
        case .deadline: self = .deadline
        case .caller(let cause, let fails): self = .stopped(cause: cause, fails: fails)
        }
    }

    /// The ending of two parts of one run (shards): a part stopped early stops the whole, then
    /// a deadline, then a course run.
    func merged(with other: RunEnding) -> RunEnding {
        func rank(_ ending: RunEnding) -> Int {
            switch ending {
            case .completed: 0
            case .deadline: 1
            case .interrupted: 2
            case .stopped: 3
            }
        }
        return rank(other) > rank(self) ? other : self
    }
}
