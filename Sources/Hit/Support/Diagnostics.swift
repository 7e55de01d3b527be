import Synchronization

/// Counts that let tests prove nothing is left behind after a run.
enum Diagnostics {
    static let curlHandles = Atomic<Int>(0)

    /// libcurl easy and multi handles alive in this process right now.
    static var liveCurlHandles: Int {
        curlHandles.load(ordering: .relaxed)
    }
}
