import FoundationEssentials

/// The process's environment variables, read once. Every decision a run takes from them (proxies,
/// shards, metrics destinations, colour and the terminal's width, the secrets kept out of a
/// report) sees the same variables, and `environ` is parsed into a dictionary once rather than at
/// each of them (some 0.3 ms each, a dozen times in a one-request run).
public enum ProcessEnvironment {
    /// The variables as they were when first asked for.
    public static let variables: [String: String] = ProcessInfo.processInfo.environment
}
