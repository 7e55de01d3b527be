import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if let environment { process.environment = environment }
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        status = process.terminationStatus
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
