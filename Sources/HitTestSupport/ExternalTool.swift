import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program from the machine (python3, hdr-plot, chromium, tmux) run to completion, its output
/// captured in files: for tests that check hit's files with other tools' readers.
public struct ExternalTool: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`; `input` goes to
    /// its standard input.
    public init(_ executable: String, _ arguments: [String], input: String = "", environment: [String: String]? = nil) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hit-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inURL = directory.appendingPathComponent("stdin"), outURL = directory.appendingPathComponent("stdout")
        let errURL = directory.appendingPathComponent("stderr")
        try Data(input.utf8).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        // posix_spawn rather than Foundation's Process, whose children inherit this process's
        // signal mask (Dispatch's threads block every signal): a tmux server started that way dies.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inURL.path, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outURL.path, O_WRONLY | O_TRUNC, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errURL.path, O_WRONLY | O_TRUNC, 0)
        let argv = (["/usr/bin/env", executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = withSpawnAttributes(defaulting: [SIGINT, SIGTERM, SIGPIPE, SIGCHLD]) {
            posix_spawn(&pid, "/usr/bin/env", &actions, $0, argv, &envp)
        }
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        var waitStatus: Int32 = 0
        while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
        status = (waitStatus & 0x7F) == 0 ? (waitStatus >> 8) & 0xFF : 128 + (waitStatus & 0x7F)
        stdout = try String(contentsOf: outURL, encoding: .utf8)
        stderr = try String(contentsOf: errURL, encoding: .utf8)
    }

    /// Whether `name` is on PATH.
    public static func exists(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }

    /// Runs a Python 3 script with `arguments`.
    public static func python(_ script: String, _ arguments: [String] = []) throws -> ExternalTool {
        try ExternalTool("python3", ["-c", script] + arguments)
    }
}

/// Runs `body` with spawn attributes that start the child with no signal blocked and `signals` at
/// their default actions: a child inherits the mask and ignored signals of the thread that spawns
/// it, and Dispatch's threads block every signal.
func withSpawnAttributes<Result>(defaulting signals: [Int32], _ body: (UnsafePointer<posix_spawnattr_t>) -> Result) -> Result {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signalNumber in signals { sigaddset(&defaults, signalNumber) }
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    return body(&attributes)
}
