import Foundation

/// A cgroup (v1 `cpu` controller) that lets the processes put in it use only a sliver of one CPU:
/// a machine whose CPUs are taken by others, for one process, without loading anyone else's.
public final class CPUQuota {
    private static let controller = "/sys/fs/cgroup/cpu"
    private let folder: String

    /// Whether this machine lets the tests make one (Linux with the v1 `cpu` controller, as root).
    public static var isAvailable: Bool {
        FileManager.default.isWritableFile(atPath: controller) && FileManager.default.fileExists(atPath: controller + "/cpu.cfs_quota_us")
    }

    /// A group whose processes together get `percent` of one CPU's time, in slices of 1 ms (the
    /// smallest quota the kernel takes).
    public init(percent: Double) throws {
        folder = Self.controller + "/hit-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        do {
            try write("\(min(1_000_000, Int(1000 * 100 / percent)))", to: "cpu.cfs_period_us")
            try write("1000", to: "cpu.cfs_quota_us")
        } catch {
            remove()
            throw error
        }
    }

    /// Moves process `pid`, with all its threads, into the group.
    public func add(_ pid: pid_t) throws {
        try write("\(pid)", to: "cgroup.procs")
    }

    /// Removes the group; its processes must have exited (or moved out) by then.
    public func remove() {
        rmdir(folder)
    }

    private func write(_ value: String, to file: String) throws {
        try value.write(toFile: folder + "/" + file, atomically: false, encoding: .utf8)
    }
}
