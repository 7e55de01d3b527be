import Dispatch
import Foundation
import Hit
import Synchronization

/// Maps SIGINT and SIGTERM onto a cancellation token. The first signal cancels the run (its
/// partial report is still printed); a second one exits at once with status 130. Once the report
/// is being written, signals are ignored, so that it is never cut off mid-line.
final class Interrupts {
    /// What the signal handler reads and writes, from the signal queue.
    private final class State: Sendable {
        let token = CancellationToken()
        let reporting = Atomic<Bool>(false)

        func handleSignal() {
            guard !reporting.load(ordering: .acquiring) else { return }
            if token.isCancelled { _exit(130) }
            token.cancel()
        }
    }

    private let state = State()
    private let sources: [any DispatchSourceSignal]

    var token: CancellationToken { state.token }

    /// Starts listening. Call first thing, so that a signal during start-up cancels cleanly.
    init() {
        let queue = DispatchQueue(label: "hit.signals")
        // The handler must be @Sendable: Dispatch runs it on `queue`, not where it was made.
        let handler: @Sendable () -> Void = { [state] in state.handleSignal() }
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    /// From now on, signals are ignored: the report is being written and hit is about to exit.
    func beginReport() {
        state.reporting.store(true, ordering: .releasing)
    }
}
