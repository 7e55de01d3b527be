import Foundation
import HitTarget
#if canImport(Glibc)
import Glibc
#endif

/// The built `hit` binary, run as a child process, the way a user or a CI script runs it.
public final class HitProcess {
    public let pid: pid_t
    private let stdoutURL: URL
    private let stderrURL: URL
    public private(set) var exitStatus: Int32?
    /// The child's peak resident memory in KiB, sampled from /proc while it runs. (Not from
    /// wait4's ru_maxrss: Linux keeps that across execve, so a spawned child reports the test
    /// process's peak.)
    public private(set) var peakMemoryKiB: Int?

    /// Where SwiftPM put the `hit` binary: beside the test bundle.
    public static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("hit").path
    }

    /// The `hit` built against a libcurl with HTTP/3 by `scripts/build-http3`: `HIT_HTTP3_BINARY`,
    /// else where that script builds it; `nil` when there is none (`scripts/test` builds it).
    public static var http3Binary: String? {
        let path = ProcessInfo.processInfo.environment["HIT_HTTP3_BINARY"]
            ?? #filePath.components(separatedBy: "/Sources/")[0] + "/.build-http3/release/hit"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// Starts `hit` (or `binary`) with `arguments`, with default signal handling and nothing
    /// blocked, and its output going to files (so a full pipe can never stall it).
    /// `environment`: variables set (or, with nil values, removed) in the child's environment.
    public init(_ arguments: [String], stdoutClosed: Bool = false, launcher: [String] = [], binary: String = HitProcess.binary,
                environment: [String: String?] = [:]) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        stdoutURL = directory.appendingPathComponent("stdout")
        stderrURL = directory.appendingPathComponent("stderr")

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var closedPipe: [Int32] = [-1, -1]
        if stdoutClosed {
            // A pipe whose reader is already gone, as with `hit ... | head -0`.
            _ = closedPipe.withUnsafeMutableBufferPointer { pipe($0.baseAddress) }
            close(closedPipe[0])
            posix_spawn_file_actions_adddup2(&actions, closedPipe[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, stdoutURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        defer { if closedPipe[1] >= 0 { close(closedPipe[1]) } }
        posix_spawn_file_actions_addopen(&actions, 2, stderrURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let command = launcher + [binary] + arguments
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var variables = ProcessInfo.processInfo.environment
        for (name, value) in environment { variables[name] = value }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let code = withSpawnAttributes(defaulting: [SIGINT, SIGTERM, SIGPIPE]) { posix_spawn(&pid, command[0], &actions, $0, argv, envp) }
        guard code == 0 else { throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL) }
        self.pid = pid
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(at: stdoutURL.deletingLastPathComponent())
    }

    public func send(_ signalNumber: Int32) {
        kill(pid, signalNumber)
    }

    /// Sends `signalNumber`, then waits for the process to exit. Returns its exit status (`nil` if
    /// it did not exit within 10 s) and how many milliseconds after the signal it exited.
    public func interrupt(with signalNumber: Int32 = SIGINT) -> (status: Int32?, milliseconds: Double) {
        let sent = Date()
        send(signalNumber)
        let status = wait(seconds: 10)
        return (status, Date().timeIntervalSince(sent) * 1000)
    }

    /// Waits up to `seconds` for the process to exit; returns its exit status, or `nil` on time-out.
    @discardableResult
    public func wait(seconds: Double = 30) -> Int32? {
        if let exitStatus { return exitStatus }
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        var turn = 0
        while Date() < deadline {
            // The peak is read every 20 ms (VmHWM only grows): reading and parsing /proc at every
            // turn, in every test waiting at once, competes with the runs under test on a machine
            // of two cores.
            if turn % 20 == 0, let highWater = Self.highWaterKiB(pid) { peakMemoryKiB = max(peakMemoryKiB ?? 0, highWater) }
            turn += 1
            if waitpid(pid, &status, WNOHANG) == pid {
                // WIFEXITED / WEXITSTATUS; a death by signal shows as 128 + the signal, as a shell does.
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                return exitStatus
            }
            usleep(1000)
        }
        return nil
    }

    /// VmHWM from /proc/PID/status: the peak resident set of the process's current image.
    private static func highWaterKiB(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    }

    public var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// hit did not end in the time a test gave it.
    public struct TimedOut: Error, CustomStringConvertible {
        public let arguments: [String]
        public let seconds: Double
        public init(arguments: [String], seconds: Double) {
            self.arguments = arguments
            self.seconds = seconds
        }
        public var description: String { "hit \(arguments) did not end within \(seconds) s" }
    }

    /// Runs `hit` to the end; throws `TimedOut` if it does not end within `seconds`.
    public static func run(_ arguments: [String], seconds: Double = 60, launcher: [String] = [],
                           binary: String = HitProcess.binary, environment: [String: String?] = [:]) throws -> HitProcess {
        let process = try HitProcess(arguments, launcher: launcher, binary: binary, environment: environment)
        guard process.wait(seconds: seconds) != nil else { throw TimedOut(arguments: arguments, seconds: seconds) }
        return process
    }

    /// Runs `hit` to the end against `server`: `{URL}` in any argument becomes its base URL.
    public static func run(_ arguments: [String], against server: TargetServer, seconds: Double = 60,
                           launcher: [String] = []) throws -> HitProcess {
        try run(arguments.map { $0.replacingOccurrences(of: "{URL}", with: server.baseURL) }, seconds: seconds, launcher: launcher)
    }

    /// Runs another program to the end and returns what it printed on stdout and stderr.
    public static func runTool(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}

/// The value of a report row such as "  Requests:   20".
public func reportValue(_ label: String, in report: String) -> String? {
    report.split(separator: "\n")
        .first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label + ":") }
        .map { $0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) }
}
