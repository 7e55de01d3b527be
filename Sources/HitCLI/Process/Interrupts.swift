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
/// the process has not exited `grace` after that first signal and is stalled (a report blocked on a
/// reader that never reads, an `open` of a FIFO that never gets a writer), it exits 130 then; if it
/// is still at work, it gets up to `patience`. A second signal
/// exits at once with 130, unless the report is being written: that is never cut off but by the
/// grace period.
///
/// The C handler (`CHitSignals`) only writes to a pipe; a thread of its own, outside Dispatch's
/// pool, reads it, so that a pool used up by event loops can never keep a signal waiting.
final class Interrupts: Sendable {
    /// How long the partial report may take after the first signal, if the process is stalled by
    /// then (blocked in a write or an `open` that never returns).
    static let grace: Duration = .milliseconds(240)
    /// How long it may take at most, if it is still at work: on a machine whose CPUs are busy
    /// elsewhere, writing the report can take longer than the grace period.
    static let patience: Duration = .seconds(5)
    /// The last stretch of the grace period, and each extension: the process is still at work if,
    /// within it, one of its threads was seen waiting to run at one of `samples` looks, or its
    /// threads ran for at least `busy`.
    static let window: Duration = .milliseconds(60)
    static let samples = 6
    static let busy: Duration = .milliseconds(1)

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
            // The grace period, then a little more at a time for as long as the process is still
            // at work (a report written on a machine short of CPU), up to `patience`.
            Self.sleep(Interrupts.grace - Interrupts.window)
            var waited = Interrupts.grace - Interrupts.window
            while waited < Interrupts.patience && Self.othersAtWork(over: Interrupts.window) {
                waited += Interrupts.window
            }
            _exit(ExitStatus.interrupted.rawValue)
        }

        /// Whether, over the next `window`, another thread of the process was seen running or
        /// waiting to run at one of `samples` looks, or the others used `busy` CPU time.
        private static func othersAtWork(over window: Duration) -> Bool {
            var cpu: Int64 = 0
            guard hit_signals_others_at_work(&cpu) >= 0 else {
                sleep(window)
                return false
            }
            let before = cpu
            var seenRunnable = false
            for _ in 0..<Interrupts.samples {
                sleep(window / Interrupts.samples)
                if hit_signals_others_at_work(&cpu) > 0 { seenRunnable = true }
            }
            return seenRunnable || cpu - before >= Interrupts.busy.nanoseconds
        }

        private static func sleep(_ duration: Duration) {
            var time = timespec(tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.nanoseconds % 1_000_000_000))
            var left = timespec()
            while nanosleep(&time, &left) != 0 && errno == EINTR { time = left }
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
