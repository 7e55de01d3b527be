import CHitSignals
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif
import Hit
import Synchronization

/// Maps SIGINT, SIGTERM, SIGHUP and SIGQUIT onto a cancellation token, from the moment it is made.
///
/// A signal before the run has started (while hit loads and reads its arguments) ends hit at once
/// with 130: nothing was sent, and there is nothing to report. Once the run has started, the
/// first signal cancels it; its partial report is still printed and hit exits 130. If
/// the process has not exited `grace` after that first signal (a report blocked on a reader that
/// never reads, an `open` of a FIFO that never gets a writer), it exits 130 then. A second signal
/// exits at once with 130, unless the report is being written: that is never cut off but by the
/// grace period.
///
/// The C handler (`CHitSignals`) only writes to a pipe; a thread of its own, outside Dispatch's
/// pool, reads it, so that a pool used up by event loops can never keep a signal waiting.
final class Interrupts: Sendable {
    /// How long the partial report may take after the first signal.
    static let grace: Duration = .milliseconds(240)

    let token = CancellationToken()
    private let phase = Phase()

    /// Whether the run has started, shared with the signal thread.
    private final class Phase: Sendable {
        let started = Atomic<Bool>(false)
    }

    /// Starts catching signals. Call first thing in the process.
    init() {
        guard hit_signals_install() == 0 else {
            TextStream.standardError.write("hit: cannot catch signals: \(String(cString: strerror(errno)))\n")
            return
        }
        let watcher = Unmanaged.passRetained(Watcher(token: token, phase: phase)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, { Unmanaged<Watcher>.fromOpaque($0!).takeRetainedValue().run() }, watcher) == 0 else {
            Unmanaged<Watcher>.fromOpaque(watcher).release()
            TextStream.standardError.write("hit: cannot catch signals: no thread for them\n")
            return
        }
        pthread_detach(thread)
    }

    /// What the signal thread runs: it waits for the first signal, cancels, and exits after the grace period.
    private final class Watcher: Sendable {
        let token: CancellationToken
        let phase: Phase

        init(token: CancellationToken, phase: Phase) {
            self.token = token
            self.phase = phase
        }

        func run() -> UnsafeMutableRawPointer? {
            hit_signals_name_thread()
            guard hit_signals_next() > 0 else { return nil }
            guard phase.started.load(ordering: .acquiring) else { _exit(ExitStatus.interrupted.rawValue) }
            token.cancel()
            var grace = timespec(tv_sec: 0, tv_nsec: Int(Interrupts.grace.nanoseconds))
            var left = timespec()
            while nanosleep(&grace, &left) != 0 && errno == EINTR { grace = left }
            _exit(ExitStatus.interrupted.rawValue)
        }
    }

    /// The run is about to start: from now on a signal cancels it, and its report is printed.
    func beginRun() {
        phase.started.store(true, ordering: .releasing)
    }

    /// The report is being written: a second signal no longer cuts it off.
    func beginReport() {
        hit_signals_begin_report()
    }
}
