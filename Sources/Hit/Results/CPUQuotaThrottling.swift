import FoundationEssentials

/// The CPU quotas over hit's process, as the kernel accounts them: a container's CPU limit (a
/// Kubernetes pod's `limits.cpu`, `docker run --cpus`) is a cgroup quota that stops every thread
/// of the process for the rest of a period (100 ms by default) once the group has used its share.
/// A throttled load generator measures its own stalls and sends less than asked, while its event
/// loops look idle: the kernel does not count a throttled thread as running or waiting to run.
///
/// A snapshot holds, for hit's cgroup and each of its ancestors that has a quota, the periods the
/// quota was enforced in and the periods in which the group was throttled (`nr_periods` and
/// `nr_throttled` of `cpu.stat`, in cgroup v1 and v2 alike).
struct CPUQuotaThrottling: Sendable, Equatable {
    struct Periods: Sendable, Equatable {
        var enforced: Int64
        var throttled: Int64
    }

    /// The periods of each cgroup folder with a quota, by its path.
    var groups: [String: Periods]

    /// This process's groups now; empty where there is no quota or no cgroup file to read.
    static func now() -> CPUQuotaThrottling {
        CPUQuotaThrottling(groups: Dictionary(cgroupFolders().compactMap { folder in
            read(folder + "/cpu.stat").map { (folder, $0) }
        }, uniquingKeysWith: { first, _ in first }))
    }

    /// The share of the quota's periods since `start` in which hit was throttled, for the group
    /// throttled most; `nil` if no quota was enforced in between. A group hit joined since `start`
    /// counts from zero: it was made for hit, or hit's run is what it holds.
    func throttledShare(since start: CPUQuotaThrottling) -> Double? {
        var most: Double?
        for (folder, end) in groups {
            let begin = start.groups[folder] ?? Periods(enforced: 0, throttled: 0)
            let enforced = end.enforced - begin.enforced, throttled = end.throttled - begin.throttled
            guard enforced > 0, throttled >= 0 else { continue }
            let share = min(1, Double(throttled) / Double(enforced))
            most = max(most ?? 0, share)
        }
        return most
    }

    /// `nr_periods` and `nr_throttled` of a `cpu.stat` file; `nil` if it has none (no quota
    /// controller there) or cannot be read.
    static func parse(_ text: String) -> Periods? {
        var enforced: Int64?, throttled: Int64?
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 2, let value = Int64(words[1]) else { continue }
            switch words[0] {
            case "nr_periods": enforced = value
            case "nr_throttled": throttled = value
            default: break
            }
        }
        guard let enforced, let throttled else { return nil }
        return Periods(enforced: enforced, throttled: throttled)
    }

    private static func read(_ path: String) -> Periods? {
        guard let data = FileManager.default.contents(atPath: path), data.count < 1 << 16 else { return nil }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// The folders of hit's `cpu` cgroup and its ancestors, where cgroup v1 or v2 keep them.
    private static func cgroupFolders() -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/self/cgroup") else { return [] }
        return folders(ofMembership: String(decoding: data, as: UTF8.self), root: "/sys/fs/cgroup")
    }

    /// The candidate folders for each line of `/proc/self/cgroup` (`id:controllers:path`): a v1
    /// hierarchy with the `cpu` controller is mounted under its controllers' name (`cpu`,
    /// `cpu,cpuacct`), the v2 one at the root or, on hybrid systems, at `unified`. Each path is
    /// followed up to its hierarchy's root.
    static func folders(ofMembership text: String, root: String) -> [String] {
        var result: [String] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[2].hasPrefix("/"), !fields[2].contains("..") else { continue }
            let controllers = fields[1].split(separator: ",")
            let mounts: [String]
            if fields[0] == "0" && controllers.isEmpty {
                mounts = [root, root + "/unified"]
            } else if controllers.contains("cpu") {
                mounts = [root + "/" + fields[1], root + "/cpu", root + "/cpu,cpuacct"]
            } else {
                continue
            }
            var path = String(fields[2])
            while true {
                for mount in mounts { result.append(mount + (path == "/" ? "" : path)) }
                guard path != "/", let slash = path.lastIndex(of: "/") else { break }
                path = slash == path.startIndex ? "/" : String(path[..<slash])
            }
        }
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted }
    }
}
