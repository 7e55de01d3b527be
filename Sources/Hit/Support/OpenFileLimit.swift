#if canImport(Glibc)
import Glibc
#endif

/// Each worker holds a connection, and each connection a file descriptor: `-c 5000` needs more
/// than the usual soft limit of 1024 open files.
enum OpenFileLimit {
    /// Descriptors a run needs besides one per worker: stdio, libcurl's wake-up pipes, Dispatch.
    static let overhead = 64

    /// Raises the soft open-files limit as far as the hard limit allows, if `concurrency` needs it.
    /// Throws, saying what to do, if even the hard limit is too low.
    static func ensure(concurrency: Int) throws(SetupError) {
        let needed = rlim_t(concurrency + overhead)
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < needed else { return }
        limit.rlim_cur = min(limit.rlim_max, max(needed, limit.rlim_cur))
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        guard limit.rlim_cur >= needed else {
            throw SetupError("-c \(concurrency) needs about \(needed) open files, but this process may open at most "
                + "\(limit.rlim_max), its hard limit (ulimit -Hn): raise it where hit is started (as root, "
                + "ulimit -Hn \(needed); for a service, LimitNOFILE=\(needed); for a container, --ulimit nofile=\(needed)), or lower -c")
        }
    }
}
