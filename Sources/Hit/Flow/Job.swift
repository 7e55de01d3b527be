import Dispatch

/// One request to send, as it travels from the producer through the throttle to a worker.
struct Job: Sendable {
    /// Its place in the run: 0 for the first request.
    var index: Int
    /// Which target to send it to, as the run's `TargetMix` chose it.
    var target: Int
    /// When the throttle meant it to be sent; `nil` in an unpaced run.
    var due: DispatchTime?
    /// Under `Options.templating`: the request as its templates rendered it for this job.
    var rendered: RenderedRequest? = nil
}
