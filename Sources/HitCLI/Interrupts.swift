import Dispatch
import Foundation
import Hit

/// Maps SIGINT and SIGTERM onto a cancellation token: the first one cancels the run (the partial
/// report is still printed), a second one exits at once with status 130.
enum Interrupts {
    /// Starts listening; keep the returned sources alive for as long as the run lasts.
    static func cancel(_ token: CancellationToken, queue: DispatchQueue) -> [any DispatchSourceSignal] {
        // The handler must be @Sendable: Dispatch runs it on `queue`, not where it was made.
        let handler: @Sendable () -> Void = {
            if token.isCancelled { _exit(ExitStatus.interrupted.rawValue) }
            token.cancel()
        }
        return [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }
}
