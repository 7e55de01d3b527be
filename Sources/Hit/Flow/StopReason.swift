/// Why a `CancellationToken` was cancelled: carried by the token itself, so that whoever reads
/// the outcome learns the reason from the one who stopped it, not by inference afterwards.
public enum StopReason: Sendable, Equatable {
    /// Its user stopped it (a stop signal): the run is interrupted.
    case user
    /// The run's deadline (`Options.duration`) came: the run ended as asked.
    case deadline
    /// Its caller stopped it for `cause` (a reader of its rows that went away); `fails`: the stop
    /// judges the run failed rather than interrupted (its first requests all failed certificate
    /// verification).
    case caller(cause: String, fails: Bool)
}
