#if canImport(Glibc)
import Glibc
#endif

/// The CPU time this process has used, and the cores it may run on: how busy hit itself was
/// while it measured something else.
enum ProcessCPU {
    /// User plus system time used by every thread of the process so far (getrusage).
    static func used() -> Duration {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return .zero }
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }

    /// The cores the process may run on: its affinity mask (`taskset`, a container's cpuset) as
    /// /proc/self/status gives it, else the cores online.
    static var cores: Int {
        if let file = fopen("/proc/self/status", "r") {
            defer { fclose(file) }
            var line: UnsafeMutablePointer<CChar>?
            var capacity = 0
            defer { free(line) }
            while getline(&line, &capacity, file) > 0, let line {
                let text = String(cString: line)
                guard text.hasPrefix("Cpus_allowed:") else { continue }
                let count = text.dropFirst("Cpus_allowed:".count).reduce(0) { sum, digit in
                    sum + (digit.hexDigitValue?.nonzeroBitCount ?? 0)
                }
                if count > 0 { return count }
            }
        }
        return Swift.max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    /// The share of the CPU time its cores could give over `wall` that the process used from
    /// `before` on, in percent (100 = every core busy all along).
    static func percent(since before: Duration, over wall: Duration) -> Double {
        guard wall > .zero else { return 0 }
        return (used() - before).seconds * 100 / (wall.seconds * Double(cores))
    }
}
